package io.dealflow.analytics.funnel;

import io.dealflow.analytics.common.Jdbc;
import io.dealflow.analytics.journey.PipelineStages;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers the funnel question from the projection's counters when the filter has a slice (whole pipeline, one
 * owner, one source); a creation window over all deals from the creation-month counters it covers, corrected by the
 * visits of the deals in its partial months; otherwise from the stored stage visits. All give the same numbers. The
 * funnel at a past instant (time travel) adds up the per-day changes of all deals, or reads the visits when filtered.
 */
@Singleton
public class FunnelQuery {

    private static final String[] FUNNEL_METRICS = {"reach", "stage.entered", "stage.advanced", "stage.lost", "stage.current", "time"};

    private final DataSource dataSource;

    public FunnelQuery(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The counts a funnel is made of, however they were read. */
    private static final class Counts {
        long deals;
        long open;
        long won;
        long lost;
        final Map<Integer, Long> notWonByMaxPosition = new HashMap<>();
        final Map<String, long[]> stages = new HashMap<>(); // entered, advanced, lost, current
        final Map<String, DurationSketch> times = new HashMap<>();

        void status(String status, int maxPosition, long n) {
            deals += n;
            switch (status) {
                case "OPEN" -> open += n;
                case "WON" -> won += n;
                default -> lost += n;
            }
            if (!"WON".equals(status)) {
                notWonByMaxPosition.merge(maxPosition, n, Long::sum);
            }
        }

        long[] stage(String stageId) {
            return stages.computeIfAbsent(stageId, k -> new long[4]);
        }

        DurationSketch time(String stageId) {
            return times.computeIfAbsent(stageId, k -> new DurationSketch());
        }

        /** Adds {@code n} to one funnel counter; {@code seconds} is the time counters' amount. */
        void add(String metric, String k1, String k2, long n, double seconds) {
            switch (metric) {
                case "reach" -> status(k2, Integer.parseInt(k1), n);
                case "stage.entered" -> stage(k1)[0] += n;
                case "stage.advanced" -> stage(k1)[1] += n;
                case "stage.lost" -> stage(k1)[2] += n;
                case "stage.current" -> stage(k1)[3] += n;
                default -> time(k1).add(Integer.parseInt(k2), n, seconds);
            }
        }

        void add(Map<FunnelTimeline.Key, FunnelTimeline.Count> deal, int sign) {
            deal.forEach((key, count) -> add(key.metric(), key.k1(), key.k2(), sign * count.n(), (double) sign * count.seconds()));
        }
    }

    public FunnelReport funnel(FunnelFilter filter) {
        return Jdbc.read(dataSource, c -> {
            PipelineStages pipeline = PipelineStages.load(c, filter.pipelineId());
            FunnelFilter.MonthCover cover = filter.monthCover();
            Counts counts = filter.slice() != null ? fromTallies(TallyRows.read(c, filter, FUNNEL_METRICS))
                    : cover != null ? fromMonths(c, cover) : fromVisits(c, filter, null, new Counts(), 1);
            return report(filter, pipeline, counts, Jdbc.asOf(c), filter.describe());
        });
    }

    /**
     * The funnel as it stood at a past instant, from the stored stage visits (when each stay began, when and how it
     * ended): the same definitions as the live funnel, which it equals at the present. For all deals of a pipeline the
     * projection keeps the visits' changes added up per day and month, so only the deals that changed on the
     * instant's day are read.
     */
    public FunnelReport funnelAt(FunnelFilter filter, Instant at) {
        return Jdbc.read(dataSource, c -> {
            PipelineStages pipeline = PipelineStages.load(c, filter.pipelineId());
            Counts counts = filter.equals(FunnelFilter.pipeline(filter.pipelineId())) ? fromChanges(c, filter.pipelineId(), at)
                    : fromVisits(c, filter, at, new Counts(), 1);
            Map<String, String> filters = new LinkedHashMap<>(filter.describe());
            filters.put("at", at.toString());
            Instant newest = Jdbc.asOf(c);
            return report(filter, pipeline, counts, newest == null || newest.isBefore(at) ? newest : at, filters);
        });
    }

    private static FunnelReport report(FunnelFilter filter, PipelineStages pipeline, Counts counts, Instant asOf, Map<String, String> filters) {
        List<PipelineStages.Stage> stages = pipeline.stages();
        List<Long> reached = new ArrayList<>();
        for (PipelineStages.Stage stage : stages) {
            long r = counts.won;
            for (var e : counts.notWonByMaxPosition.entrySet()) {
                if (e.getKey() >= stage.position()) {
                    r += e.getValue();
                }
            }
            reached.add(r);
        }
        List<FunnelReport.StageFunnel> result = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            PipelineStages.Stage stage = stages.get(i);
            long[] sc = counts.stages.getOrDefault(stage.id(), new long[4]);
            long next = i + 1 < stages.size() ? reached.get(i + 1) : counts.won;
            result.add(new FunnelReport.StageFunnel(stage.id(), stage.name(), stage.position(), stage.phase(),
                    stage.probability(), reached.get(i), sc[0], sc[3], sc[1], sc[2], Jdbc.ratio(next, reached.get(i)),
                    counts.times.getOrDefault(stage.id(), new DurationSketch()).hours()));
        }
        return new FunnelReport(filter.pipelineId(), pipeline.name(), asOf, filters, result,
                new FunnelReport.Totals(counts.deals, counts.open, counts.won, counts.lost, Jdbc.ratio(counts.won, counts.won + counts.lost)));
    }

    private static Counts fromTallies(List<TallyRows.Row> rows) {
        return add(new Counts(), rows, 1);
    }

    private static Counts add(Counts counts, List<TallyRows.Row> rows, int sign) {
        for (TallyRows.Row row : rows) {
            counts.add(row.metric(), row.k1(), row.k2(), sign * row.n(), sign * row.amount().doubleValue());
        }
        return counts;
    }

    /** A creation window over all deals: the month slices it covers, corrected by the deals of its partial months. */
    private static Counts fromMonths(Connection c, FunnelFilter.MonthCover cover) throws SQLException {
        Counts counts = fromTallies(TallyRows.readMonths(c, cover.months(), FUNNEL_METRICS));
        for (FunnelFilter part : cover.plus()) {
            fromVisits(c, part, null, counts, 1);
        }
        for (FunnelFilter part : cover.minus()) {
            fromVisits(c, part, null, counts, -1);
        }
        return counts;
    }

    /**
     * The funnel of all deals at an instant: the sum of the deals' changes at or before it. Each level is read from
     * its shorter side: the months before the instant's month (or the live counters minus the months from it on), the
     * days of its month before its day (or the month minus the days from it on), and the deals that changed on its
     * day before the instant (or the whole day minus the deals that changed after the instant), from their visits.
     */
    private static Counts fromChanges(Connection c, String pipelineId, Instant at) throws SQLException {
        Counts counts = new Counts();
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        YearMonth month = YearMonth.from(day);
        String firstMonth = FunnelFilter.changedMonthSlice(YearMonth.of(1, 1));
        String endMonth = FunnelFilter.changedMonthSlice(YearMonth.of(9999, 12)) + "~";
        List<String> months = new ArrayList<>();
        Jdbc.query(c, "select distinct slice from tally_group where pipeline_id = ? and slice >= ? and slice < ?",
                List.of(pipelineId, firstMonth, endMonth), rs -> months.add(rs.getString(1)));
        String thisMonth = FunnelFilter.changedMonthSlice(month);
        long monthsBefore = months.stream().filter(m -> m.compareTo(thisMonth) < 0).count();
        if (monthsBefore <= months.size() - monthsBefore + 1) {
            add(counts, TallyRows.readRange(c, pipelineId, firstMonth, thisMonth, FUNNEL_METRICS), 1);
        } else {
            add(counts, TallyRows.read(c, FunnelFilter.pipeline(pipelineId), FUNNEL_METRICS), 1);
            add(counts, TallyRows.readRange(c, pipelineId, thisMonth, endMonth, FUNNEL_METRICS), -1);
        }
        String firstDay = FunnelFilter.changedDaySlice(month.atDay(1));
        String thisDay = FunnelFilter.changedDaySlice(day);
        String endDay = FunnelFilter.changedDaySlice(month.plusMonths(1).atDay(1));
        if (day.getDayOfMonth() - 1 <= month.lengthOfMonth() - day.getDayOfMonth() + 1) {
            add(counts, TallyRows.readRange(c, pipelineId, firstDay, thisDay, FUNNEL_METRICS), 1);
        } else {
            add(counts, TallyRows.readRange(c, pipelineId, thisMonth, thisMonth + "~", FUNNEL_METRICS), 1);
            add(counts, TallyRows.readRange(c, pipelineId, thisDay, endDay, FUNNEL_METRICS), -1);
        }
        Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant dayEnd = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        if (Duration.between(dayStart, at).compareTo(Duration.between(at, dayEnd)) <= 0) {
            changedOnDay(c, pipelineId, dayStart, at, true).forEach(stays -> {
                counts.add(FunnelTimeline.at(stays, at, true), 1);
                counts.add(FunnelTimeline.at(stays, dayStart, false), -1);
            });
        } else {
            add(counts, TallyRows.readRange(c, pipelineId, thisDay, thisDay + "~", FUNNEL_METRICS), 1);
            changedOnDay(c, pipelineId, at, dayEnd, false).forEach(stays -> {
                counts.add(FunnelTimeline.at(stays, at, true), 1);
                counts.add(FunnelTimeline.at(stays, dayEnd, false), -1);
            });
        }
        return counts;
    }

    /**
     * The visits of the deals of a pipeline that began or ended a visit from {@code from} to {@code to} (both included,
     * or both excluded), deal by deal.
     */
    private static List<List<FunnelTimeline.Stay>> changedOnDay(Connection c, String pipelineId, Instant from, Instant to, boolean inclusive)
            throws SQLException {
        String between = inclusive ? " >= ? and %s <= ?" : " > ? and %s < ?";
        Timestamp first = Timestamp.from(from);
        Timestamp last = Timestamp.from(to);
        List<List<FunnelTimeline.Stay>> deals = new ArrayList<>();
        String[] dealId = {null};
        Jdbc.query(c, "select v.deal_id, v.stage_id, v.position, v.entered_at, v.left_at, v.ended_by, v.duration_seconds from stage_visit v"
                + " where v.deal_id in (select deal_id from stage_visit where pipeline_id = ? and entered_at" + between.formatted("entered_at")
                + " union select deal_id from stage_visit where pipeline_id = ? and left_at" + between.formatted("left_at") + ")"
                + " order by v.deal_id, v.seq", List.of(pipelineId, first, last, pipelineId, first, last), rs -> {
            if (!rs.getString(1).equals(dealId[0])) {
                deals.add(new ArrayList<>());
                dealId[0] = rs.getString(1);
            }
            deals.get(deals.size() - 1).add(stay(rs));
        });
        return deals;
    }

    private static FunnelTimeline.Stay stay(ResultSet rs) throws SQLException {
        Timestamp left = rs.getTimestamp(5);
        return new FunnelTimeline.Stay(rs.getString(2), rs.getInt(3), rs.getTimestamp(4).toInstant(), left == null ? null : left.toInstant(),
                rs.getString(6), rs.getLong(7));
    }

    /**
     * The counts from the deals' visits as they stood at {@code at} (now when null), in one ordered pass: a deal is
     * counted once its last visit has been read. The deals are added to {@code counts} ({@code sign} 1) or taken away (-1).
     */
    private static Counts fromVisits(Connection c, FunnelFilter filter, Instant at, Counts counts, int sign) throws SQLException {
        List<Object> args = FunnelFilter.args();
        String visits;
        if (filter.equals(FunnelFilter.pipeline(filter.pipelineId()))) {
            // the visits carry their pipeline: without other filters the deal table need not be joined
            visits = "stage_visit v where v.pipeline_id = ?";
            args.add(filter.pipelineId());
        } else {
            visits = "stage_visit v join deal d on d.deal_id = v.deal_id where " + filter.where(args);
        }
        if (at != null) {
            visits += " and v.entered_at <= ?";
            args.add(Timestamp.from(at));
        }
        Instant asOf = at == null ? Instant.MAX : at;
        List<FunnelTimeline.Stay> deal = new ArrayList<>();
        String[] dealId = {null};
        Jdbc.query(c, "select v.deal_id, v.stage_id, v.position, v.entered_at, v.left_at, v.ended_by, v.duration_seconds from " + visits
                + " order by v.deal_id, v.seq", args, rs -> {
            if (!rs.getString(1).equals(dealId[0])) {
                counts.add(FunnelTimeline.at(deal, asOf, true), sign);
                deal.clear();
                dealId[0] = rs.getString(1);
            }
            deal.add(stay(rs));
        });
        counts.add(FunnelTimeline.at(deal, asOf, true), sign);
        return counts;
    }
}
