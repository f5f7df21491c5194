package io.dealflow.analytics.journey;

import io.dealflow.analytics.common.Jdbc;
import io.dealflow.analytics.funnel.FunnelFilter;
import io.dealflow.analytics.funnel.TallyRows;
import io.dealflow.analytics.web.ProblemException;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Date;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

@Singleton
public class BacktestQuery {

    private final DataSource dataSource;
    private final Clock clock;

    public BacktestQuery(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    private record Visit(long seq, String stageId, int probability, Instant entered, Instant left, String endedBy) {
    }

    private record Amount(Instant from, BigDecimal amount, String currency) {
    }

    private record CloseChange(Instant at, LocalDate oldDate) {
    }

    private static final class Deal {
        final List<Visit> visits = new ArrayList<>();
        final List<Amount> amounts = new ArrayList<>();
        final List<CloseChange> closeChanges = new ArrayList<>();
        LocalDate expectedClose;
        String status;
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
            List<TallyRows.Row> closed = TallyRows.read(c, FunnelFilter.pipeline(filter.pipelineId()), learning.toArray(String[]::new));
            List<Object> args = FunnelFilter.args();
            String where = filter.where(args);
            Map<String, Deal> deals = new HashMap<>();
            Jdbc.query(c, "select d.deal_id, d.status, d.expected_close from deal d where " + where, args, rs -> {
                Deal deal = deals.computeIfAbsent(rs.getString(1), k -> new Deal());
                deal.status = rs.getString(2);
                Date close = rs.getDate(3);
                deal.expectedClose = close == null ? null : close.toLocalDate();
            });
            Jdbc.query(c, "select v.deal_id, v.seq, v.stage_id, v.probability, v.entered_at, v.left_at, v.ended_by from stage_visit v"
                    + " join deal d on d.deal_id = v.deal_id where " + where + " order by v.deal_id, v.seq", args, rs ->
                    deals.get(rs.getString(1)).visits.add(new Visit(rs.getLong(2), rs.getString(3), rs.getInt(4),
                            rs.getTimestamp(5).toInstant(), Jdbc.instant(rs.getTimestamp(6)), rs.getString(7))));
            Jdbc.query(c, "select a.deal_id, a.valid_from, a.amount, a.currency from deal_amount a join deal d on d.deal_id = a.deal_id"
                    + " where " + where + " order by a.deal_id, a.seq", args, rs -> deals.get(rs.getString(1)).amounts.add(
                    new Amount(rs.getTimestamp(2).toInstant(), rs.getBigDecimal(3), rs.getString(4).strip())));
            Jdbc.query(c, "select x.deal_id, x.changed_at, x.old_date from close_date_change x join deal d on d.deal_id = x.deal_id"
                    + " where " + where + " order by x.deal_id, x.seq", args, rs -> {
                Date old = rs.getDate(3);
                deals.get(rs.getString(1)).closeChanges.add(new CloseChange(rs.getTimestamp(2).toInstant(), old == null ? null : old.toLocalDate()));
            });

            List<BacktestReport.Month> result = new ArrayList<>();
            Map<String, double[]> calibration = new LinkedHashMap<>(); // samples, sum learned, sum configured, closed, won
            pipeline.stages().forEach(s -> calibration.put(s.id(), new double[5]));
            for (int k = months; k >= 1; k--) {
                YearMonth month = current.minusMonths(k);
                Instant start = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
                Instant end = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
                Map<String, Double> learned = LearnedProbabilities.learn(closed, pipeline, month.atDay(1).minusDays(lookbackDays), month.atDay(1))
                        .byStage();
                Map<String, BigDecimal[]> sums = new TreeMap<>(); // learned, configured, won, deals
                for (Deal deal : deals.values()) {
                    Visit openAtStart = openAt(deal, start);
                    if (openAtStart != null) {
                        LocalDate expected = expectedCloseAt(deal, start);
                        Amount amount = amountAt(deal, start);
                        double configured = openAtStart.probability() / 100.0;
                        Double p = learned.get(openAtStart.stageId());
                        if (expected != null && YearMonth.from(expected).equals(month) && amount != null) {
                            BigDecimal[] s = sums.computeIfAbsent(amount.currency(), x -> zeros());
                            s[0] = s[0].add(amount.amount().multiply(BigDecimal.valueOf(p == null ? configured : p)));
                            s[1] = s[1].add(amount.amount().multiply(BigDecimal.valueOf(configured)));
                            s[3] = s[3].add(BigDecimal.ONE);
                        }
                        double[] cal = calibration.get(openAtStart.stageId());
                        if (cal != null && !"OPEN".equals(deal.status)) {
                            cal[0]++;
                            cal[1] += p == null ? configured : p;
                            cal[2] += configured;
                            cal[3]++;
                            cal[4] += "WON".equals(deal.status) ? 1 : 0;
                        }
                    }
                    for (Visit v : deal.visits) {
                        if ("WON".equals(v.endedBy()) && !v.left().isBefore(start) && v.left().isBefore(end)) {
                            Amount amount = amountAt(deal, v.left());
                            if (amount != null) {
                                BigDecimal[] s = sums.computeIfAbsent(amount.currency(), x -> zeros());
                                s[2] = s[2].add(amount.amount());
                            }
                        }
                    }
                }
                List<BacktestReport.Result> results = new ArrayList<>();
                sums.forEach((currency, s) -> results.add(new BacktestReport.Result(currency, s[3].longValue(),
                        VelocityQuery.money(s[0], currency), VelocityQuery.money(s[1], currency), VelocityQuery.money(s[2], currency),
                        error(s[0], s[2]), error(s[1], s[2]))));
                result.add(new BacktestReport.Month(month.toString(), results));
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

    private static Visit openAt(Deal deal, Instant t) {
        for (Visit v : deal.visits) {
            if (!v.entered().isAfter(t) && (v.left() == null || v.left().isAfter(t))) {
                return v;
            }
        }
        return null;
    }

    /** The expected close date as it was known at {@code t}: undo the changes made after it. */
    private static LocalDate expectedCloseAt(Deal deal, Instant t) {
        for (CloseChange change : deal.closeChanges) {
            if (change.at().isAfter(t)) {
                return change.oldDate();
            }
        }
        return deal.expectedClose;
    }

    private static Amount amountAt(Deal deal, Instant t) {
        Amount found = null;
        for (Amount a : deal.amounts) {
            if (!a.from().isAfter(t)) {
                found = a;
            }
        }
        return found;
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
