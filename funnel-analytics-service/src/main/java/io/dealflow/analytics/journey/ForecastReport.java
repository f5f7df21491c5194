package io.dealflow.analytics.journey;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Open pipeline per expected-close month and currency: open amount (best case), weighted by the configured
 * stage probability, forecast by the probability learned from the deals closed in the look-back window (the
 * lookbackDays UTC days ending today), and the
 * commit part (stages at or above the commit probability). Buckets: OVERDUE (close date passed), the months
 * from the current one on, and NO_DATE.
 */
@Serdeable
public record ForecastReport(String pipelineId, Instant asOf, Map<String, String> filters, int lookbackDays,
                             int commitProbability, List<Month> months, List<StageProbability> stages, Slips slips) {

    @Serdeable
    public record Month(String month, List<Amounts> currencies) {
    }

    @Serdeable
    public record Amounts(String currency, long deals, String openAmount, String weightedAmount, String forecastAmount,
                          String commitAmount, String bestCaseAmount) {
    }

    /**
     * @param advanceRate        of the closed deals that reached this stage, the share that reached the next (last stage: won)
     * @param learnedProbability P(win | stage) = the product of the advance rates from this stage on
     * @param closedDeals        closed deals in the look-back window that reached this stage (the sample)
     */
    @Serdeable
    public record StageProbability(String stageId, String name, int configuredProbability, Double advanceRate,
                                   Double learnedProbability, long closedDeals) {
    }

    /** Expected close dates moved later: in total, and the deals and owners with the most. */
    @Serdeable
    public record Slips(long total, List<Count> byOwner, List<Count> byDeal) {
    }

    @Serdeable
    public record Count(String key, long slips) {
    }
}
