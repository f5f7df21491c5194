package io.dealflow.analytics.funnel;

import io.dealflow.analytics.tally.Cohorts;
import io.dealflow.analytics.tally.TallySlice;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
        return ownerId != null ? TallySlice.owner(ownerId) : source != null ? TallySlice.source(source) : TallySlice.ALL_DEALS;
    }

    /**
     * A creation window over all deals of a pipeline, put together from whole UTC months and the deals of the partial
     * months at its ends: the window's deals = those of {@link #months()} + those of each {@link #plus()} window − those
     * of each {@link #minus()} window. Of a partial month, the shorter part is read: the part inside the window (added)
     * or the rest of the month (subtracted from the whole month).
     */
    public record MonthCover(FunnelFilter months, List<FunnelFilter> plus, List<FunnelFilter> minus) {
    }

    /**
     * The whole-month cover of this filter, or null unless it is a creation window over all deals of the pipeline
     * (the projection keeps per-creation-month slices for those only).
     */
    public MonthCover monthCover() {
        if ((from == null && to == null) || ownerId != null || source != null) {
            return null;
        }
        List<FunnelFilter> plus = new ArrayList<>();
        List<FunnelFilter> minus = new ArrayList<>();
        Instant first = from == null ? null : edge(from, true, plus, minus);
        Instant end = to == null ? null : edge(to, false, plus, minus);
        return new MonthCover(new FunnelFilter(pipelineId, first, end, null, null), plus, minus);
    }

    /**
     * The month boundary that stands for a window end inside a month, recording the part to add or to take away. A
     * window start in the month's first half starts at the month's start (minus the deals before the start); a window
     * end in its second half ends with the month (minus the deals after the end); otherwise the part inside the window
     * is added to the months. A start and an end in the same month never both round inwards, as the start comes first.
     */
    private Instant edge(Instant at, boolean start, List<FunnelFilter> plus, List<FunnelFilter> minus) {
        Instant monthStart = startOfMonth(at);
        if (monthStart.equals(at)) {
            return at;
        }
        Instant monthEnd = monthStart.atZone(ZoneOffset.UTC).plusMonths(1).toInstant();
        boolean firstHalf = Duration.between(monthStart, at).compareTo(Duration.between(at, monthEnd)) <= 0;
        if (start == firstHalf) {
            Instant boundary = start ? monthStart : monthEnd;
            minus.add(start ? window(monthStart, at) : window(at, monthEnd));
            return boundary;
        }
        plus.add(start ? window(at, monthEnd) : window(monthStart, at));
        return start ? monthEnd : monthStart;
    }

    private FunnelFilter window(Instant windowFrom, Instant windowTo) {
        return new FunnelFilter(pipelineId, windowFrom, windowTo, null, null);
    }

    /** The first creation-month slice of the window, inclusive. */
    public String firstMonthSlice() {
        return TallySlice.created(from == null ? "" : Cohorts.month(from.atZone(ZoneOffset.UTC).toLocalDate()));
    }

    /** The creation-month slice where the window ends, exclusive. */
    public String endMonthSlice() {
        return TallySlice.created(to == null ? "~" : Cohorts.month(to.atZone(ZoneOffset.UTC).toLocalDate()));
    }

    private static Instant startOfMonth(Instant instant) {
        return instant.atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
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
