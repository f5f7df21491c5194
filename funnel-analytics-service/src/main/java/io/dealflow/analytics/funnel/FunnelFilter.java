package io.dealflow.analytics.funnel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Which deals a question is about: a pipeline, optionally a creation-time window, an owner, a source. */
public record FunnelFilter(String pipelineId, Instant from, Instant to, String ownerId, String source) {

    /** All deals of a pipeline. */
    public static FunnelFilter pipeline(String pipelineId) {
        return new FunnelFilter(pipelineId, null, null, null, null);
    }

    /** SQL condition on the {@code deal d} table, with its arguments appended to {@code args}. */
    public String where(List<Object> args) {
        StringBuilder sql = new StringBuilder("d.pipeline_id = ?");
        args.add(pipelineId);
        if (from != null) {
            sql.append(" and d.created_at >= ?");
            args.add(java.sql.Timestamp.from(from));
        }
        if (to != null) {
            sql.append(" and d.created_at < ?");
            args.add(java.sql.Timestamp.from(to));
        }
        if (ownerId != null) {
            sql.append(" and d.owner_id = ?");
            args.add(ownerId);
        }
        if (source != null) {
            sql.append(" and d.source = ?");
            args.add(source);
        }
        return sql.toString();
    }

    /**
     * The projection's counter slice that answers for exactly these deals, or null when the filter needs the deal
     * tables (a creation window, or owner and source together).
     */
    public String slice() {
        if (from != null || to != null || (ownerId != null && source != null)) {
            return null;
        }
        return ownerId != null ? ownerSlice(ownerId) : source != null ? sourceSlice(source) : ALL_DEALS;
    }

    /**
     * True when the filter is a creation window of whole UTC days (either end may be open) over all deals of the
     * pipeline: the projection's per-creation-day counters answer the funnel for it.
     */
    public boolean wholeDays() {
        return (from != null || to != null) && ownerId == null && source == null && startOfDay(from) && startOfDay(to);
    }

    /** The creation days the window covers, as ISO dates: from inclusive, to exclusive ("" and "~" when open). */
    public String firstDay() {
        return from == null ? "" : from.atZone(java.time.ZoneOffset.UTC).toLocalDate().toString();
    }

    public String endDay() {
        return to == null ? "~" : to.atZone(java.time.ZoneOffset.UTC).toLocalDate().toString();
    }

    private static boolean startOfDay(Instant instant) {
        return instant == null || instant.getEpochSecond() % 86_400 == 0 && instant.getNano() == 0;
    }

    /** The counter slices a deal counts in: all deals of its pipeline, its owner's, its source's. */
    public static final String ALL_DEALS = "*";

    public static String ownerSlice(String ownerId) {
        return "owner:" + ownerId;
    }

    public static String sourceSlice(String source) {
        return "source:" + source;
    }

    public Map<String, String> describe() {
        Map<String, String> applied = new LinkedHashMap<>();
        applied.put("pipelineId", pipelineId);
        if (from != null) {
            applied.put("from", from.toString());
        }
        if (to != null) {
            applied.put("to", to.toString());
        }
        if (ownerId != null) {
            applied.put("ownerId", ownerId);
        }
        if (source != null) {
            applied.put("source", source);
        }
        return applied;
    }

    public static List<Object> args() {
        return new ArrayList<>();
    }
}
