package io.dealflow.analytics.funnel;

import io.dealflow.analytics.common.Jdbc;
import io.dealflow.analytics.tally.DurationSketch;
import io.dealflow.analytics.tally.ReachedFlags;
import io.dealflow.analytics.tally.TallyMetric;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Answers the funnel question from the projection's counters when the filter has a slice (whole pipeline, one
 * owner, one source); a creation window over all deals from the creation-month counters it covers, corrected by the
 * visits of the deals in its partial months; otherwise from the stored stage visits. All give the same numbers. The
 * funnel at a past instant (time travel) always comes from the visits.
 */
@Singleton
public class FunnelQuery {

    private static final String[] FUNNEL_METRICS = {TallyMetric.REACH, TallyMetric.STAGE_ENTERED, TallyMetric.STAGE_ADVANCED, TallyMetric.STAGE_LOST, TallyMetric.STAGE_CURRENT, TallyMetric.TIME};

    private final DataSource dataSource;
    private final TallyRows tallies;

    public FunnelQuery(DataSource dataSource, TallyRows tallies) {
        this.dataSource = dataSource;
        this.tallies = tallies;
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
    }

    public FunnelReport funnel(FunnelFilter filter) {
        return Jdbc.read(dataSource, c -> {
            PipelineStages pipeline = PipelineStages.load(c, filter.pipelineId());
            FunnelFilter.MonthCover cover = filter.monthCover();
            Counts counts = filter.slice() != null ? fromTallies(tallies.read(c, filter, FUNNEL_METRICS))
                    : cover != null ? fromMonths(c, cover) : fromVisits(c, filter, null, new Counts(), 1);
            return report(filter, pipeline, counts, Jdbc.asOf(c), filter.describe());
        });
    }

    /**
     * The funnel as it stood at a past instant, from the stored stage visits (when each stay began, when and how it
     * ended): the same definitions as the live funnel, which it equals at the present.
     */
    public FunnelReport funnelAt(FunnelFilter filter, Instant at) {
        return Jdbc.read(dataSource, c -> {
            PipelineStages pipeline = PipelineStages.load(c, filter.pipelineId());
            Counts counts = fromVisits(c, filter, at, new Counts(), 1);
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
                    timeInStage(counts.times.getOrDefault(stage.id(), new DurationSketch()))));
        }
        return new FunnelReport(filter.pipelineId(), pipeline.name(), asOf, filters, result,
                new FunnelReport.Totals(counts.deals, counts.open, counts.won, counts.lost, Jdbc.ratio(counts.won, counts.won + counts.lost)));
    }

    private static Counts fromTallies(List<TallyRows.Row> rows) {
        Counts counts = new Counts();
        for (TallyRows.Row row : rows) {
            switch (row.metric()) {
                case TallyMetric.REACH -> counts.status(row.k2(), Integer.parseInt(row.k1()), row.n());
                case TallyMetric.STAGE_ENTERED -> counts.stage(row.k1())[0] += row.n();
                case TallyMetric.STAGE_ADVANCED -> counts.stage(row.k1())[1] += row.n();
                case TallyMetric.STAGE_LOST -> counts.stage(row.k1())[2] += row.n();
                case TallyMetric.STAGE_CURRENT -> counts.stage(row.k1())[3] += row.n();
                default -> counts.time(row.k1()).add(row.buckets(), 1, row.amount().doubleValue());
            }
        }
        return counts;
    }

    /** A creation window over all deals: the month slices it covers, corrected by the deals of its partial months. */
    private Counts fromMonths(Connection c, FunnelFilter.MonthCover cover) throws SQLException {
        Counts counts = fromTallies(tallies.readMonths(c, cover.months(), FUNNEL_METRICS));
        for (FunnelFilter part : cover.plus()) {
            fromVisits(c, part, null, counts, 1);
        }
        for (FunnelFilter part : cover.minus()) {
            fromVisits(c, part, null, counts, -1);
        }
        return counts;
    }

    /** One stay in a stage as it stood at the instant asked about; {@code endedBy} is null while it lasted then. */
    private record Visit(String stageId, int position, String endedBy) {
    }

    /**
     * The counts from the deals' visits begun by {@code at} (all of them when null), in one ordered pass: a deal is
     * counted once its last visit has been read. Its status is how its latest visit ended (or OPEN); its stage flags
     * are as {@link ReachedFlags} defines them. The deals are added to {@code counts} ({@code sign} 1) or taken away (-1).
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
        List<Visit> deal = new ArrayList<>();
        String[] dealId = {null};
        Jdbc.stream(c, "select v.deal_id, v.stage_id, v.position, v.left_at, v.ended_by, v.duration_seconds from " + visits
                + " order by v.deal_id, v.seq", args, rs -> {
            if (!rs.getString(1).equals(dealId[0])) {
                count(counts, deal, sign);
                dealId[0] = rs.getString(1);
            }
            Timestamp left = rs.getTimestamp(4);
            boolean ended = left != null && (at == null || !left.toInstant().isAfter(at));
            deal.add(new Visit(rs.getString(2), rs.getInt(3), ended ? rs.getString(5) : null));
            if (ended) {
                long seconds = rs.getLong(6);
                counts.time(rs.getString(2)).add(DurationSketch.bucket(seconds), sign, (double) sign * seconds);
            }
        });
        count(counts, deal, sign);
        return counts;
    }

    private static void count(Counts counts, List<Visit> visits, int sign) {
        if (visits.isEmpty()) {
            return;
        }
        Visit last = visits.get(visits.size() - 1);
        String status = last.endedBy() == null ? "OPEN" : last.endedBy();
        counts.status(status, visits.stream().mapToInt(Visit::position).max().orElseThrow(), sign);
        if ("OPEN".equals(status)) {
            counts.stage(last.stageId())[3] += sign;
        }
        ReachedFlags.of(visits.stream().map(v -> new ReachedFlags.Step(v.stageId(), v.position(), v.endedBy())).toList())
                .forEach((stage, f) -> {
                    long[] sc = counts.stage(stage);
                    sc[0] += sign;
                    sc[1] += f.advanced() ? sign : 0;
                    sc[2] += f.lost() ? sign : 0;
                });
        visits.clear();
    }

    /** Visits, exact mean, and median and p90 (nearest rank, within 2 %), in hours. */
    private static FunnelReport.TimeInStage timeInStage(DurationSketch stays) {
        if (stays.visits() <= 0) {
            return new FunnelReport.TimeInStage(0, null, null, null);
        }
        return new FunnelReport.TimeInStage(stays.visits(), hours(stays.meanSeconds()), hours(stays.quantile(0.5)), hours(stays.quantile(0.9)));
    }

    private static double hours(double seconds) {
        return Math.round(seconds / 3600.0 * 1000.0) / 1000.0;
    }
}
