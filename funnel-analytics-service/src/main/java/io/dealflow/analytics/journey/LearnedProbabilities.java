package io.dealflow.analytics.journey;

import io.dealflow.analytics.funnel.PipelineStages;
import io.dealflow.analytics.funnel.TallyRows;
import io.dealflow.analytics.tally.TallyMetric;

import java.time.LocalDate;
import java.time.YearMonth;
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

    /** The counters learning from the deals closed on the days from {@code firstDay} up to {@code endDay} reads. */
    static List<String> counters(LocalDate firstDay, LocalDate endDay) {
        List<String> metrics = new ArrayList<>(List.of(TallyMetric.CLOSED_MONTH));
        for (YearMonth month : List.of(YearMonth.from(firstDay), YearMonth.from(endDay.minusDays(1)))) {
            if (!whole(month, firstDay, endDay) && !metrics.contains(TallyMetric.closedDays(month.toString()))) {
                metrics.add(TallyMetric.closedDays(month.toString()));
            }
        }
        return metrics;
    }

    /**
     * Learns from the deals closed on the UTC days from {@code firstDay} up to, not including, {@code endDay}: the
     * months wholly inside from their month counters, the others day by day. {@code closed} holds the pipeline's
     * counters named by {@link #counters} (more are ignored).
     */
    static Learned learn(List<TallyRows.Row> closed, PipelineStages pipeline, LocalDate firstDay, LocalDate endDay) {
        long[] won = {0};
        Map<Integer, Long> lostByMax = new HashMap<>();
        String first = firstDay.toString();
        String end = endDay.toString();
        for (TallyRows.Row row : closed) {
            boolean counts;
            if (row.metric().equals(TallyMetric.CLOSED_MONTH)) {
                counts = whole(YearMonth.parse(row.k1()), firstDay, endDay);
            } else if (row.metric().startsWith(TallyMetric.CLOSED_DAYS_PREFIX)) {
                counts = row.k1().compareTo(first) >= 0 && row.k1().compareTo(end) < 0
                        && !whole(YearMonth.parse(row.k1().substring(0, 7)), firstDay, endDay);
            } else {
                counts = false;
            }
            if (!counts) {
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

    /** True when every day of the month lies in the window. */
    private static boolean whole(YearMonth month, LocalDate firstDay, LocalDate endDay) {
        return !month.atDay(1).isBefore(firstDay) && !month.plusMonths(1).atDay(1).isAfter(endDay);
    }
}
