package io.dealflow.analytics.board;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The pipeline board as it stood at an instant: the deals open then, per stage in pipeline order and in total, with
 * their amounts as they stood then, per currency (never added across currencies).
 */
@Serdeable
public record BoardReport(String pipelineId, String pipelineName, Instant asOf, Instant at, Map<String, String> filters,
                          List<Column> stages, List<Money> totals) {

    /** One stage: the deals open in it at the instant, and their amounts per currency. */
    @Serdeable
    public record Column(String stageId, String name, int position, String phase, long openDeals, List<Money> amounts) {
    }

    /**
     * @param deals          open deals in this currency
     * @param amount         their amounts as they stood at the instant
     * @param weightedAmount each amount × the probability of the stage the deal was in (as it was when the deal entered it)
     */
    @Serdeable
    public record Money(String currency, long deals, String amount, String weightedAmount) {
    }
}
