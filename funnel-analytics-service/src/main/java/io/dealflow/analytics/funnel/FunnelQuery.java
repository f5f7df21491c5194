package io.dealflow.analytics.funnel;

import io.dealflow.analytics.common.Jdbc;
import io.dealflow.analytics.journey.PipelineStages;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers the funnel question from the projection's counters when the filter has a slice (whole pipeline, one
 * owner, one source) or is a creation window of whole months, otherwise from the deal tables; all give the same numbers.
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
    }

    public FunnelReport funnel(FunnelFilter filter) {
        return Jdbc.read(dataSource, c -> {
            PipelineStages pipeline = PipelineStages.load(c, filter.pipelineId());
            List<PipelineStages.Stage> stages = pipeline.stages();
            Counts counts = filter.slice() != null ? fromTallies(TallyRows.read(c, filter, FUNNEL_METRICS))
                    : filter.wholeMonths() ? fromTallies(TallyRows.readMonths(c, filter, FUNNEL_METRICS)) : fromDeals(c, filter);
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
            return new FunnelReport(filter.pipelineId(), pipeline.name(), Jdbc.asOf(c), filter.describe(), result,
                    new FunnelReport.Totals(counts.deals, counts.open, counts.won, counts.lost, Jdbc.ratio(counts.won, counts.won + counts.lost)));
        });
    }

    private static Counts fromTallies(List<TallyRows.Row> rows) {
        Counts counts = new Counts();
        for (TallyRows.Row row : rows) {
            switch (row.metric()) {
                case "reach" -> counts.status(row.k2(), Integer.parseInt(row.k1()), row.n());
                case "stage.entered" -> counts.stage(row.k1())[0] += row.n();
                case "stage.advanced" -> counts.stage(row.k1())[1] += row.n();
                case "stage.lost" -> counts.stage(row.k1())[2] += row.n();
                case "stage.current" -> counts.stage(row.k1())[3] += row.n();
                default -> counts.time(row.k1()).add(Integer.parseInt(row.k2()), row.n(), row.amount().doubleValue());
            }
        }
        return counts;
    }

    private static Counts fromDeals(Connection c, FunnelFilter filter) throws SQLException {
        Counts counts = new Counts();
        List<Object> args = FunnelFilter.args();
        String where = filter.where(args);
        // one ordered pass over the deals and their visits (every deal has one from its creation on): a deal's row is
        // counted with its first visit, its flags once its last visit has been read
        List<ReachedFlags.Step> steps = new ArrayList<>();
        String[] deal = {null};
        Jdbc.query(c, "select v.deal_id, v.stage_id, v.position, v.ended_by, v.duration_seconds, d.status, d.max_position, d.stage_id"
                + " from stage_visit v join deal d on d.deal_id = v.deal_id where " + where + " order by v.deal_id, v.seq", args, rs -> {
            if (!rs.getString(1).equals(deal[0])) {
                countFlags(counts, steps);
                deal[0] = rs.getString(1);
                String status = rs.getString(6);
                counts.status(status, rs.getInt(7), 1);
                if ("OPEN".equals(status)) {
                    counts.stage(rs.getString(8))[3]++;
                }
            }
            steps.add(new ReachedFlags.Step(rs.getString(2), rs.getInt(3), rs.getString(4)));
            long seconds = rs.getLong(5);
            if (!rs.wasNull()) {
                counts.time(rs.getString(2)).add(seconds);
            }
        });
        countFlags(counts, steps);
        return counts;
    }

    private static void countFlags(Counts counts, List<ReachedFlags.Step> steps) {
        ReachedFlags.of(steps).forEach((stage, f) -> {
            long[] sc = counts.stage(stage);
            sc[0]++;
            sc[1] += f.advanced() ? 1 : 0;
            sc[2] += f.lost() ? 1 : 0;
        });
        steps.clear();
    }
}
