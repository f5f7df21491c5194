package io.dealflow.analytics.journey;

import io.dealflow.analytics.funnel.TallyRows;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Win probability per stage learned from what happened: over the deals of a pipeline that closed in a window of days,
 * the advance rate of each stage (reached the next ÷ reached this, last stage: won ÷ reached) and
 * P(win | stage) = the product of the advance rates from that stage on.
 */
final class LearnedProbabilities {

    record Learned(List<ForecastReport.StageProbability> stages, Map<String, Double> byStage) {
    }

    private LearnedProbabilities() {
    }

    /** The counters learning reads: closed deals per UTC day, status and furthest stage (metric "closed", all deals). */
    static final String CLOSED = "closed";

    /**
     * Learns from the deals closed on the UTC days from {@code firstDay} up to, not including, {@code endDay}, counted
     * in {@code closed} (the pipeline's rows of {@link #CLOSED}).
     */
    static Learned learn(List<TallyRows.Row> closed, PipelineStages pipeline, LocalDate firstDay, LocalDate endDay) {
        long[] won = {0};
        Map<Integer, Long> lostByMax = new HashMap<>();
        String first = firstDay.toString();
        String end = endDay.toString();
        for (TallyRows.Row row : closed) {
            if (row.k1().compareTo(first) < 0 || row.k1().compareTo(end) >= 0) {
                continue;
            }
            if ("WON".equals(row.k2())) {
                won[0] += row.n();
            } else {
                lostByMax.merge(Integer.parseInt(row.k3()), row.n(), Long::sum);
            }
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
}
