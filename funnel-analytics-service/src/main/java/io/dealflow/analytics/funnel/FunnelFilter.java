package io.dealflow.analytics.funnel;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
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
     * True when the filter is a creation window of whole UTC months (either end may be open) over all deals of the
     * pipeline: the projection's per-creation-month slices answer the funnel for it.
     */
    public boolean wholeMonths() {
        return (from != null || to != null) && ownerId == null && source == null && startOfMonth(from) && startOfMonth(to);
    }

    /** The first creation-month slice of the window, inclusive. */
    public String firstMonthSlice() {
        return createdSlice(from == null ? "" : Cohorts.month(from.atZone(ZoneOffset.UTC).toLocalDate()));
    }

    /** The creation-month slice where the window ends, exclusive. */
    public String endMonthSlice() {
        return createdSlice(to == null ? "~" : Cohorts.month(to.atZone(ZoneOffset.UTC).toLocalDate()));
    }

    private static boolean startOfMonth(Instant instant) {
        if (instant == null) {
            return true;
        }
        ZonedDateTime utc = instant.atZone(ZoneOffset.UTC);
        return utc.getDayOfMonth() == 1 && utc.toLocalTime().equals(LocalTime.MIDNIGHT);
    }

    /** The counter slices a deal counts in: all deals of its pipeline, its owner's, its source's. */
    public static final String ALL_DEALS = "*";

    public static String ownerSlice(String ownerId) {
        return "owner:" + ownerId;
    }

    public static String sourceSlice(String source) {
        return "source:" + source;
    }

    /** The deals created in one UTC month (2026-07); only the funnel's counters are kept for these slices. */
    public static String createdSlice(String month) {
        return "created:" + month;
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
