package io.dealflow.analytics.journey;

import io.dealflow.analytics.funnel.PipelineStages;
import io.dealflow.analytics.common.Jdbc;
import io.dealflow.analytics.funnel.FunnelFilter;
import io.dealflow.analytics.funnel.TallyRows;
import io.dealflow.analytics.web.ProblemException;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

@Singleton
public class BacktestQuery {

    private final DataSource dataSource;
    private final TallyRows tallies;
    private final DealHistories histories;
    private final Clock clock;

    public BacktestQuery(DataSource dataSource, DealHistories histories, TallyRows tallies, Clock clock) {
        this.dataSource = dataSource;
        this.histories = histories;
        this.tallies = tallies;
        this.clock = clock;
    }

    public BacktestReport backtest(FunnelFilter base, int months, int lookbackDays) {
        if (months < 1 || months > 36) {
            throw ProblemException.badRequest("months must be 1–36");
        }
        if (lookbackDays < 1 || lookbackDays > 3650) {
            throw ProblemException.badRequest("lookbackDays must be 1–3650");
        }
        FunnelFilter filter = new FunnelFilter(base.pipelineId(), null, null, base.ownerId(), base.source());
        YearMonth current = YearMonth.from(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
        return Jdbc.read(dataSource, c -> {
            PipelineStages pipeline = PipelineStages.load(c, filter.pipelineId());
            Set<String> learning = new LinkedHashSet<>();
            for (int k = months; k >= 1; k--) {
                LocalDate start = current.minusMonths(k).atDay(1);
                learning.addAll(LearnedProbabilities.counters(start.minusDays(lookbackDays), start));
            }
            List<TallyRows.Row> closed = tallies.read(c, FunnelFilter.pipeline(filter.pipelineId()), learning.toArray(String[]::new));
            List<YearMonth> past = new ArrayList<>();
            List<Map<String, Double>> learned = new ArrayList<>();
            List<Map<String, BigDecimal[]>> sums = new ArrayList<>(); // per currency: learned, configured, won, deals
            for (int k = months; k >= 1; k--) {
                YearMonth month = current.minusMonths(k);
                past.add(month);
                learned.add(LearnedProbabilities.learn(closed, pipeline, month.atDay(1).minusDays(lookbackDays), month.atDay(1)).byStage());
                sums.add(new TreeMap<>());
            }
            Map<String, double[]> calibration = new LinkedHashMap<>(); // samples, sum learned, sum configured, closed, won
            pipeline.stages().forEach(s -> calibration.put(s.id(), new double[5]));
            histories.forEach(c, filter, startOf(past.get(0)), startOf(current), deal -> {
                for (int m = 0; m < past.size(); m++) {
                    YearMonth month = past.get(m);
                    Instant start = startOf(month);
                    Instant end = startOf(month.plusMonths(1));
                    DealHistories.Visit openAtStart = deal.visits().stream().filter(v -> v.openAt(start)).findFirst().orElse(null);
                    if (openAtStart != null) {
                        LocalDate expected = expectedCloseAt(deal, start);
                        DealHistories.Amount amount = deal.amountAt(start);
                        double configured = openAtStart.probability() / 100.0;
                        Double p = learned.get(m).get(openAtStart.stageId());
                        if (expected != null && YearMonth.from(expected).equals(month) && amount != null) {
                            BigDecimal[] s = sums.get(m).computeIfAbsent(amount.currency(), x -> zeros());
                            s[0] = s[0].add(amount.amount().multiply(BigDecimal.valueOf(p == null ? configured : p)));
                            s[1] = s[1].add(amount.amount().multiply(BigDecimal.valueOf(configured)));
                            s[3] = s[3].add(BigDecimal.ONE);
                        }
                        double[] cal = calibration.get(openAtStart.stageId());
                        if (cal != null && !"OPEN".equals(deal.status())) {
                            cal[0]++;
                            cal[1] += p == null ? configured : p;
                            cal[2] += configured;
                            cal[3]++;
                            cal[4] += "WON".equals(deal.status()) ? 1 : 0;
                        }
                    }
                    for (DealHistories.Visit v : deal.visits()) {
                        if ("WON".equals(v.endedBy()) && !v.left().isBefore(start) && v.left().isBefore(end)) {
                            DealHistories.Amount amount = deal.amountAt(v.left());
                            if (amount != null) {
                                BigDecimal[] s = sums.get(m).computeIfAbsent(amount.currency(), x -> zeros());
                                s[2] = s[2].add(amount.amount());
                            }
                        }
                    }
                }
            });
            List<BacktestReport.Month> result = new ArrayList<>();
            for (int m = 0; m < past.size(); m++) {
                List<BacktestReport.Result> results = new ArrayList<>();
                sums.get(m).forEach((currency, s) -> results.add(new BacktestReport.Result(currency, s[3].longValue(),
                        VelocityQuery.money(s[0], currency), VelocityQuery.money(s[1], currency), VelocityQuery.money(s[2], currency),
                        error(s[0], s[2]), error(s[1], s[2]))));
                result.add(new BacktestReport.Month(past.get(m).toString(), results));
            }
            List<BacktestReport.Calibration> table = new ArrayList<>();
            calibration.forEach((stage, cal) -> table.add(new BacktestReport.Calibration(stage, (long) cal[0],
                    cal[0] == 0 ? null : round(cal[1] / cal[0]), cal[0] == 0 ? null : round(cal[2] / cal[0]),
                    cal[3] == 0 ? null : round(cal[4] / cal[3]))));
            Map<String, String> filters = new LinkedHashMap<>(base.describe());
            return new BacktestReport(filter.pipelineId(), Jdbc.asOf(c), filters, lookbackDays, result, table);
        });
    }

    private static BigDecimal[] zeros() {
        return new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO};
    }

    /** The expected close date as it was known at {@code t}: undo the changes made after it. */
    private static LocalDate expectedCloseAt(DealHistories.Deal deal, Instant t) {
        for (DealHistories.CloseChange change : deal.closeChanges()) {
            if (change.at().isAfter(t)) {
                return change.oldDate();
            }
        }
        return deal.expectedClose();
    }

    private static Instant startOf(YearMonth month) {
        return month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    private static Double error(BigDecimal forecast, BigDecimal actual) {
        if (actual.signum() == 0) {
            return null;
        }
        return round(forecast.subtract(actual).abs().divide(actual, 6, java.math.RoundingMode.HALF_EVEN).doubleValue());
    }

    private static double round(double value) {
        return Math.round(value * 10000.0) / 10000.0;
    }
}
