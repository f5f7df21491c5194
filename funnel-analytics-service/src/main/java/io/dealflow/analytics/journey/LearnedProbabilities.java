package io.dealflow.analytics.journey;

import io.dealflow.analytics.common.Jdbc;
import io.dealflow.analytics.funnel.FunnelFilter;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Win probability per stage learned from what happened: over the deals of a pipeline that closed in a window,
 * the advance rate of each stage (reached the next ÷ reached this, last stage: won ÷ reached) and
 * P(win | stage) = the product of the advance rates from that stage on.
 */
final class LearnedProbabilities {

    record Learned(List<ForecastReport.StageProbability> stages, Map<String, Double> byStage) {
    }

    private LearnedProbabilities() {
    }

    static Learned learn(Connection c, PipelineStages pipeline, Instant closedFrom, Instant closedTo) throws SQLException {
        long[] won = {0};
        Map<Integer, Long> lostByMax = new HashMap<>();
        Jdbc.Rows count = rs -> {
            if ("WON".equals(rs.getString(1))) {
                won[0] += rs.getLong(3);
            } else {
                lostByMax.merge(rs.getInt(2), rs.getLong(3), Long::sum);
            }
        };
        // whole days from the projection's per-day counters, the partial days at either end from the deals
        LocalDate firstWholeDay = LocalDate.ofInstant(closedFrom.minusNanos(1), ZoneOffset.UTC).plusDays(1);
        LocalDate endWholeDays = LocalDate.ofInstant(closedTo, ZoneOffset.UTC);
        if (firstWholeDay.isBefore(endWholeDays)) {
            Jdbc.query(c, "select k2, k3, sum(n) from tally where pipeline_id = ? and slice = ? and metric = 'closed' and k1 >= ? and k1 < ?"
                    + " group by k2, k3", List.of(pipeline.pipelineId(), FunnelFilter.ALL_DEALS, firstWholeDay.toString(), endWholeDays.toString()), count);
            closedDeals(c, pipeline, closedFrom, firstWholeDay.atStartOfDay().toInstant(ZoneOffset.UTC), count);
            closedDeals(c, pipeline, endWholeDays.atStartOfDay().toInstant(ZoneOffset.UTC), closedTo, count);
        } else {
            closedDeals(c, pipeline, closedFrom, closedTo, count);
        }
        List<Long> reached = new ArrayList<>();
        for (PipelineStages.Stage stage : pipeline.stages()) {
            long r = won[0];
            for (var e : lostByMax.entrySet()) {
                if (e.getKey() >= stage.position()) {
                    r += e.getValue();
                }
            }
            reached.add(r);
        }
        List<ForecastReport.StageProbability> stages = new ArrayList<>();
        Map<String, Double> byStage = new HashMap<>();
        int n = pipeline.stages().size();
        Double[] advance = new Double[n];
        for (int i = 0; i < n; i++) {
            long next = i + 1 < n ? reached.get(i + 1) : won[0];
            advance[i] = reached.get(i) == 0 ? null : (double) next / reached.get(i);
        }
        for (int i = 0; i < n; i++) {
            Double product = 1.0;
            for (int j = i; j < n && product != null; j++) {
                product = advance[j] == null ? null : product * advance[j];
            }
            PipelineStages.Stage stage = pipeline.stages().get(i);
            Double learned = product == null ? null : Math.round(product * 10000.0) / 10000.0;
            stages.add(new ForecastReport.StageProbability(stage.id(), stage.name(), stage.probability(),
                    advance[i] == null ? null : Math.round(advance[i] * 10000.0) / 10000.0, learned, reached.get(i)));
            if (learned != null) {
                byStage.put(stage.id(), learned);
            }
        }
        return new Learned(stages, byStage);
    }

    private static void closedDeals(Connection c, PipelineStages pipeline, Instant from, Instant to, Jdbc.Rows count) throws SQLException {
        Jdbc.query(c, "select d.status, d.max_position, count(*) from deal d where d.pipeline_id = ? and d.status <> 'OPEN'"
                        + " and d.closed_at >= ? and d.closed_at < ? group by d.status, d.max_position",
                List.of(pipeline.pipelineId(), Timestamp.from(from), Timestamp.from(to)), count);
    }
}
