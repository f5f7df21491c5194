package io.dealflow.analytics.journey;

import io.dealflow.analytics.common.Jdbc;
import io.dealflow.analytics.funnel.FunnelFilter;
import io.dealflow.analytics.funnel.Phases;
import io.dealflow.analytics.funnel.TallyRows;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

@Singleton
public class PhaseQuery {

    private final DataSource dataSource;

    public PhaseQuery(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public PhaseReport phases(FunnelFilter filter) {
        return Jdbc.read(dataSource, c -> {
            PipelineStages pipeline = PipelineStages.load(c, filter.pipelineId());
            long[] totals = new long[3]; // won, lost, all
            Map<Integer, Long> notWonByMaxPhase = new HashMap<>();
            Map<String, long[]> counts = new HashMap<>(); // entered, advanced, lost
            Map<String, Long> current = new HashMap<>();
            if (filter.slice() != null) {
                for (TallyRows.Row row : TallyRows.read(c, filter, "phase.reach", "phase.entered", "phase.advanced", "phase.lost", "stage.current")) {
                    switch (row.metric()) {
                        case "phase.reach" -> count(totals, notWonByMaxPhase, row.k2(), Integer.parseInt(row.k1()), row.n());
                        case "phase.entered" -> counts.computeIfAbsent(row.k1(), k -> new long[3])[0] += row.n();
                        case "phase.advanced" -> counts.computeIfAbsent(row.k1(), k -> new long[3])[1] += row.n();
                        case "phase.lost" -> counts.computeIfAbsent(row.k1(), k -> new long[3])[2] += row.n();
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
                Jdbc.query(c, "select m.max_ordinal, m.status, count(*) from (select d.deal_id, d.status, max(p.ordinal) max_ordinal"
                        + " from deal d join deal_phase p on p.deal_id = d.deal_id where " + where + " group by d.deal_id, d.status) m"
                        + " group by m.max_ordinal, m.status", args,
                        rs -> count(totals, notWonByMaxPhase, rs.getString(2), rs.getInt(1), rs.getLong(3)));
                Jdbc.query(c, "select p.phase, count(*), sum(case when p.advanced then 1 else 0 end), sum(case when p.lost then 1 else 0 end)"
                        + " from deal_phase p join deal d on d.deal_id = p.deal_id where " + where + " group by p.phase", args,
                        rs -> counts.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)}));
                Jdbc.query(c, "select s.phase, count(*) from deal d join pipeline_stage s on s.pipeline_id = d.pipeline_id and s.stage_id = d.stage_id"
                        + " where " + where + " and d.status = 'OPEN' group by s.phase", args, rs -> current.put(rs.getString(1), rs.getLong(2)));
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
            return new PhaseReport(filter.pipelineId(), Jdbc.asOf(c), filter.describe(), phases, totals[2], totals[0], totals[1],
                    Jdbc.ratio(totals[0], totals[0] + totals[1]));
        });
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
