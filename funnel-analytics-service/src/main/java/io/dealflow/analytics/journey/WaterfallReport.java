package io.dealflow.analytics.journey;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How the open pipeline moved between two instants. Per currency:
 * openAtStart + created + reopened − won − lost + amountUp − amountDown = openAtEnd (amounts; counts likewise
 * without the amount changes). Per stage (counts): openAtStart + created + reopened + movedIn − movedOut − won − lost = openAtEnd.
 * Amount changes and pulled in / pushed out count what was done to open deals; an edit made at the instant of a stage
 * change counts as made just before it. Pulled in / pushed out: open deals whose expected close date moved to
 * on-or-before / after the end of the window (its UTC day).
 */
@Serdeable
public record WaterfallReport(String pipelineId, Instant asOf, Map<String, String> filters, Instant from, Instant to,
                              List<CurrencyFlow> currencies, List<StageFlow> stages) {

    @Serdeable
    public record CurrencyFlow(String currency, Flow deals, Flow amounts, String amountUp, String amountDown,
                               long pulledIn, String pulledInAmount, long pushedOut, String pushedOutAmount) {
    }

    @Serdeable
    public record Flow(String openAtStart, String created, String reopened, String won, String lost, String openAtEnd) {
    }

    @Serdeable
    public record StageFlow(String stageId, long openAtStart, long created, long reopened, long movedIn, long movedOut,
                            long won, long lost, long openAtEnd) {
    }
}
