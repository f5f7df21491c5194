package io.dealflow.analytics.journey;

import io.dealflow.analytics.common.Jdbc;
import io.dealflow.analytics.funnel.FunnelFilter;
import io.dealflow.analytics.funnel.PipelineStages;
import io.dealflow.analytics.funnel.TallyRows;
import io.dealflow.analytics.tally.Phases;
import io.dealflow.analytics.tally.ReachedFlags;
import io.dealflow.analytics.tally.TallyMetric;
import jakarta.inject.Singleton;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

@Singleton
public class PhaseQuery {

    private final DataSource dataSource;
    private final TallyRows tallies;

    public PhaseQuery(DataSource dataSource, TallyRows tallies) {
        this.dataSource = dataSource;
        this.tallies = tallies;
    }

    /**
     * The phases as they stood at {@code at} (now when null). Now and with a counter slice they come from the counters;
     * otherwise from one ordered pass over the deals' visits begun by then, each counted once its last visit has been
     * read: its status is how its latest visit had ended by then (or OPEN), and an open deal counts as current in the
     * phase its stage belongs to.
     */
    public PhaseReport phases(FunnelFilter filter, Instant at) {
        return Jdbc.read(dataSource, c -> {
            PipelineStages pipeline = PipelineStages.load(c, filter.pipelineId());
            long[] totals = new long[3]; // won, lost, all
            Map<Integer, Long> notWonByMaxPhase = new HashMap<>();
            Map<String, long[]> counts = new HashMap<>(); // entered, advanced, lost
            Map<String, Long> current = new HashMap<>();
            if (at == null && filter.slice() != null) {
                for (TallyRows.Row row : tallies.read(c, filter, TallyMetric.PHASE_REACH, TallyMetric.PHASE_ENTERED, TallyMetric.PHASE_ADVANCED, TallyMetric.PHASE_LOST, TallyMetric.STAGE_CURRENT)) {
                    switch (row.metric()) {
                        case TallyMetric.PHASE_REACH -> count(totals, notWonByMaxPhase, row.k2(), Integer.parseInt(row.k1()), row.n());
                        case TallyMetric.PHASE_ENTERED -> counts.computeIfAbsent(row.k1(), k -> new long[3])[0] += row.n();
                        case TallyMetric.PHASE_ADVANCED -> counts.computeIfAbsent(row.k1(), k -> new long[3])[1] += row.n();
                        case TallyMetric.PHASE_LOST -> counts.computeIfAbsent(row.k1(), k -> new long[3])[2] += row.n();
                        default -> {
                            // open deals count in the phase their stage belongs to now
                            PipelineStages.Stage stage = pipeline.byId(row.k1());
                            if (stage != null) {
                                current.merge(stage.phase(), row.n(), Long::sum);
                            }
                        }
                    }
                }
            } else {
                List<Object> args = FunnelFilter.args();
                String where = filter.where(args);
                if (at != null) {
                    where += " and v.entered_at <= ?";
                    args.add(Timestamp.from(at));
                }
                List<ReachedFlags.Step> steps = new ArrayList<>();
                String[] deal = {null, null}; // id, stage of its latest visit
                Runnable countDeal = () -> {
                    if (steps.isEmpty()) {
                        return;
                    }
                    String endedBy = steps.get(steps.size() - 1).endedBy();
                    PipelineStages.Stage stage = pipeline.byId(deal[1]);
                    if (endedBy == null && stage != null) {
                        current.merge(stage.phase(), 1L, Long::sum);
                    }
                    countDeal(endedBy == null ? "OPEN" : endedBy, steps, totals, notWonByMaxPhase, counts);
                };
                Jdbc.stream(c, "select v.deal_id, v.phase, v.ended_by, v.left_at, v.stage_id from stage_visit v join deal d on d.deal_id = v.deal_id"
                        + " where " + where + " order by v.deal_id, v.seq", args, rs -> {
                    if (!rs.getString(1).equals(deal[0])) {
                        countDeal.run();
                        deal[0] = rs.getString(1);
                    }
                    Timestamp left = rs.getTimestamp(4);
                    boolean ended = left != null && (at == null || !left.toInstant().isAfter(at));
                    steps.add(new ReachedFlags.Step(rs.getString(2), Phases.ordinal(rs.getString(2)), ended ? rs.getString(3) : null));
                    deal[1] = rs.getString(5);
                });
                countDeal.run();
            }

            List<PhaseReport.Phase> phases = new ArrayList<>();
            List<Long> reached = new ArrayList<>();
            for (int k = 0; k < Phases.ORDER.size(); k++) {
                long r = totals[0];
                for (var e : notWonByMaxPhase.entrySet()) {
                    if (e.getKey() >= k) {
                        r += e.getValue();
                    }
                }
                reached.add(r);
            }
            for (int k = 0; k < Phases.ORDER.size(); k++) {
                String phase = Phases.ORDER.get(k);
                long[] pc = counts.getOrDefault(phase, new long[3]);
                long next = k + 1 < Phases.ORDER.size() ? reached.get(k + 1) : totals[0];
                phases.add(new PhaseReport.Phase(phase,
                        pipeline.stages().stream().filter(s -> s.phase().equals(phase)).map(PipelineStages.Stage::id).toList(),
                        reached.get(k), pc[0], current.getOrDefault(phase, 0L), pc[1], pc[2], Jdbc.ratio(next, reached.get(k))));
            }
            Map<String, String> filters = new LinkedHashMap<>(filter.describe());
            Instant asOf = Jdbc.asOf(c);
            if (at != null) {
                filters.put("at", at.toString());
                asOf = asOf == null || asOf.isBefore(at) ? asOf : at;
            }
            return new PhaseReport(filter.pipelineId(), asOf, filters, phases, totals[2], totals[0], totals[1],
                    Jdbc.ratio(totals[0], totals[0] + totals[1]));
        });
    }

    private static void countDeal(String status, List<ReachedFlags.Step> steps, long[] totals, Map<Integer, Long> notWonByMaxPhase,
                                  Map<String, long[]> counts) {
        if (steps.isEmpty()) {
            return;
        }
        count(totals, notWonByMaxPhase, status, steps.stream().mapToInt(ReachedFlags.Step::order).max().orElseThrow(), 1);
        ReachedFlags.of(steps).forEach((phase, f) -> {
            long[] pc = counts.computeIfAbsent(phase, k -> new long[3]);
            pc[0]++;
            pc[1] += f.advanced() ? 1 : 0;
            pc[2] += f.lost() ? 1 : 0;
        });
        steps.clear();
    }

    private static void count(long[] totals, Map<Integer, Long> notWonByMaxPhase, String status, int maxPhase, long n) {
        totals[2] += n;
        if ("WON".equals(status)) {
            totals[0] += n;
        } else {
            if ("LOST".equals(status)) {
                totals[1] += n;
            }
            notWonByMaxPhase.merge(maxPhase, n, Long::sum);
        }
    }
}
