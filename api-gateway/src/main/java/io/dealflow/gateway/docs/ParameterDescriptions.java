package io.dealflow.gateway.docs;

import java.util.Map;

/** What the API's parameters mean, in one wording for both services; used where a service's document says nothing. */
final class ParameterDescriptions {

    private static final Map<String, String> BY_NAME = Map.ofEntries(
            Map.entry("Idempotency-Key", "Names this request (1–200 characters): the same key with the same body replays "
                    + "the first answer instead of acting twice; with another body it is refused"),
            Map.entry("If-Match", "The ETag (version) read last, e.g. \"3\": the change is refused with 412 if the deal or "
                    + "pipeline changed since"),
            Map.entry("pipelineId", "The pipeline's id; `default` when absent"),
            Map.entry("dealId", "The deal's id"),
            Map.entry("importId", "The import's id: the Idempotency-Key it was posted with"),
            Map.entry("ownerId", "Only deals of this owner"),
            Map.entry("source", "Only deals from this source (channel)"),
            Map.entry("stageId", "Only deals in this stage"),
            Map.entry("status", "Only deals with this status: OPEN, WON or LOST"),
            Map.entry("from", "Only deals created at or after this instant (ISO-8601, e.g. 2026-01-01T00:00:00Z)"),
            Map.entry("to", "Only deals created before this instant (ISO-8601)"),
            Map.entry("at", "The answer as it stood at this past instant (ISO-8601); now when absent"),
            Map.entry("closeFrom", "Only deals expected to close on or after this date (YYYY-MM-DD)"),
            Map.entry("closeTo", "Only deals expected to close on or before this date (YYYY-MM-DD)"),
            Map.entry("minAmount", "Only deals of at least this amount (decimal, in the deal's currency)"),
            Map.entry("maxAmount", "Only deals of at most this amount (decimal, in the deal's currency)"),
            Map.entry("currency", "Only deals in this currency (ISO 4217 code)"),
            Map.entry("sort", "Sort by createdAt, updatedAt, amount, expectedCloseDate or title"),
            Map.entry("order", "asc or desc"),
            Map.entry("limit", "At most this many items in one answer"),
            Map.entry("cursor", "Where the previous page ended: its nextCursor"),
            Map.entry("offset", "How many items to skip"),
            Map.entry("after", "Only deals whose id sorts after this one (for paging through the store)"),
            Map.entry("dealsPerStage", "How many of each stage's largest open deals to list (0–200)"),
            Map.entry("fromSequence", "The first event's sequence number (0 = the deal's creation)"),
            Map.entry("mode", "all-or-nothing (check every line first, write nothing if one is refused) or skip-invalid "
                    + "(write the valid deals, report the refused lines)"),
            Map.entry("months", "How many months ahead (forecast) or back (backtest)"),
            Map.entry("lookbackDays", "How many days of closed deals the learned probabilities come from (1–3650)"),
            Map.entry("commitProbability", "A deal counts as commit from this stage probability on (0–100)"),
            Map.entry("interval", "week or month: the width of a creation cohort"),
            Map.entry("groupBy", "owner or source: the figures per group as well"),
            Map.entry("maxDifferences", "At most this many differing deals named in the answer (0–10000)"));

    private ParameterDescriptions() {
    }

    static String of(String name) {
        return BY_NAME.get(name);
    }
}
