package io.dealflow.analytics.journey;

import io.dealflow.analytics.common.Database;
import io.dealflow.analytics.common.Jdbc;
import io.dealflow.analytics.funnel.FunnelFilter;
import io.dealflow.analytics.funnel.PipelineStages;
import io.dealflow.analytics.funnel.TallyRows;
import io.dealflow.analytics.tally.TallyMetric;
import io.dealflow.analytics.tally.TallySlice;
import io.dealflow.analytics.web.ProblemException;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

@Singleton
public class ForecastQuery {

    static final String OVERDUE = "OVERDUE";
    static final String NO_DATE = "NO_DATE";

    private final DataSource dataSource;
    private final TallyRows tallies;
    private final Clock clock;

    public ForecastQuery(DataSource dataSource, TallyRows tallies, Clock clock) {
        this.dataSource = dataSource;
        this.tallies = tallies;
        this.clock = clock;
    }

    private static final class Sums {
        long deals;
        BigDecimal open = BigDecimal.ZERO;
        BigDecimal weighted = BigDecimal.ZERO;
        BigDecimal forecast = BigDecimal.ZERO;
        BigDecimal commit = BigDecimal.ZERO;
    }

    public ForecastReport forecast(FunnelFilter filter, int months, int lookbackDays, int commitProbability) {
        if (months < 1 || months > 36) {
            throw ProblemException.badRequest("months must be 1–36");
        }
        if (lookbackDays < 1 || lookbackDays > 3650) {
            throw ProblemException.badRequest("lookbackDays must be 1–3650");
        }
        if (commitProbability < 0 || commitProbability > 100) {
            throw ProblemException.badRequest("commitProbability must be 0–100");
        }
        Instant now = clock.instant();
        YearMonth first = YearMonth.from(LocalDate.ofInstant(now, ZoneOffset.UTC));
        YearMonth last = first.plusMonths(months - 1);
        return Jdbc.read(dataSource, c -> {
            PipelineStages pipeline = PipelineStages.load(c, filter.pipelineId());
            // the look-back is whole UTC days: the lookbackDays days ending with today
            LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
            LocalDate firstDay = today.minusDays(lookbackDays - 1L);
            LocalDate endDay = today.plusDays(1);
            Map<String, List<TallyRows.Row>> counters = tallies.read(c, filter.pipelineId(),
                    countersRead(filter, LearnedProbabilities.counters(firstDay, endDay)));
            LearnedProbabilities.Learned learned = LearnedProbabilities.learn(counters.getOrDefault(TallySlice.ALL_DEALS, List.of()),
                    pipeline, firstDay, endDay);
            Map<String, Map<String, Sums>> buckets = new LinkedHashMap<>();
            buckets.put(OVERDUE, new TreeMap<>());
            for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
                buckets.put(m.toString(), new TreeMap<>());
            }
            buckets.put(NO_DATE, new TreeMap<>());
            OpenDeals add = (close, currency, stageId, probability, deals, amount) -> {
                String bucket;
                if (close == null) {
                    bucket = NO_DATE;
                } else if (close.isBefore(first)) {
                    bucket = OVERDUE;
                } else if (close.isAfter(last)) {
                    return;
                } else {
                    bucket = close.toString();
                }
                Sums sums = buckets.get(bucket).computeIfAbsent(currency.strip(), k -> new Sums());
                Double p = learned.byStage().get(stageId);
                sums.deals += deals;
                sums.open = sums.open.add(amount);
                sums.weighted = sums.weighted.add(amount.multiply(BigDecimal.valueOf(probability)).movePointLeft(2));
                sums.forecast = sums.forecast.add(amount.multiply(BigDecimal.valueOf(p == null ? probability / 100.0 : p)));
                if (probability >= commitProbability) {
                    sums.commit = sums.commit.add(amount);
                }
            };
            if (filter.slice() != null) {
                for (TallyRows.Row row : rows(counters, filter.slice(), TallyMetric.OPEN)) {
                    add.add(row.k1().isEmpty() ? null : YearMonth.parse(row.k1()), row.k2(), row.k3(), Integer.parseInt(row.k4()),
                            row.n(), row.amount());
                }
            } else {
                List<Object> args = FunnelFilter.args();
                String where = filter.where(args);
                Jdbc.query(c, "select d.expected_close, d.currency, d.stage_id, d.stage_probability, count(*), sum(d.amount) from deal d where "
                        + where + " and d.status = 'OPEN' group by d.expected_close, d.currency, d.stage_id, d.stage_probability", args, rs -> {
                    Date close = rs.getDate(1);
                    add.add(close == null ? null : YearMonth.from(close.toLocalDate()), rs.getString(2), rs.getString(3), rs.getInt(4),
                            rs.getLong(5), rs.getBigDecimal(6));
                });
            }
            List<ForecastReport.Month> result = new ArrayList<>();
            buckets.forEach((month, currencies) -> {
                List<ForecastReport.Amounts> amounts = new ArrayList<>();
                currencies.forEach((currency, s) -> amounts.add(new ForecastReport.Amounts(currency, s.deals,
                        VelocityQuery.money(s.open, currency), VelocityQuery.money(s.weighted, currency),
                        VelocityQuery.money(s.forecast, currency), VelocityQuery.money(s.commit, currency),
                        VelocityQuery.money(s.open, currency))));
                result.add(new ForecastReport.Month(month, amounts));
            });
            return new ForecastReport(filter.pipelineId(), Jdbc.asOf(c), filter.describe(), lookbackDays, commitProbability,
                    result, learned.stages(), slips(c, filter, counters));
        });
    }

    @FunctionalInterface
    private interface OpenDeals {
        void add(YearMonth close, String currency, String stageId, int probability, long deals, BigDecimal amount);
    }

    /** The counters the forecast reads, all in one go: by slice, the metrics of that slice. */
    private static Map<String, List<String>> countersRead(FunnelFilter filter, List<String> learning) {
        Map<String, List<String>> metrics = new LinkedHashMap<>();
        metrics.put(TallySlice.ALL_DEALS, new ArrayList<>(learning));
        if (filter.slice() != null) {
            metrics.computeIfAbsent(filter.slice(), s -> new ArrayList<>()).add(TallyMetric.OPEN);
            if (filter.source() == null) {
                metrics.get(filter.slice()).addAll(List.of(TallyMetric.SLIPS, TallyMetric.SLIPPING));
                if (filter.ownerId() == null) {
                    metrics.get(TallySlice.ALL_DEALS).add(TallyMetric.SLIPS_OWNER);
                }
            }
        }
        return metrics;
    }

    private static List<TallyRows.Row> rows(Map<String, List<TallyRows.Row>> counters, String slice, String metric) {
        return counters.getOrDefault(slice, List.of()).stream().filter(row -> row.metric().equals(metric)).toList();
    }

    /** Close-date slips: the total, the owners and the deals with the most. */
    private static ForecastReport.Slips slips(Connection c, FunnelFilter filter, Map<String, List<TallyRows.Row>> counters) throws SQLException {
        List<Object> args = FunnelFilter.args();
        String where = filter.where(args);
        long[] total = {0};
        long[] slipping = {20};
        List<ForecastReport.Count> owners = new ArrayList<>();
        if (filter.slice() != null && filter.source() == null) {
            slipping[0] = 0;
            rows(counters, filter.slice(), TallyMetric.SLIPS).forEach(row -> total[0] += row.n());
            rows(counters, filter.slice(), TallyMetric.SLIPPING).forEach(row -> slipping[0] += row.n());
            if (filter.ownerId() != null) {
                if (total[0] > 0) {
                    owners.add(new ForecastReport.Count(filter.ownerId(), total[0]));
                }
            } else {
                rows(counters, TallySlice.ALL_DEALS, TallyMetric.SLIPS_OWNER).stream()
                        .filter(row -> row.n() > 0)
                        .sorted(Comparator.comparingLong(TallyRows.Row::n).reversed().thenComparing(TallyRows.Row::k1))
                        .limit(20)
                        .forEach(row -> owners.add(new ForecastReport.Count(row.k1().isEmpty() ? null : row.k1(), row.n())));
            }
        } else {
            Jdbc.query(c, "select coalesce(sum(d.close_slips), 0) from deal d where " + where, args, rs -> total[0] = rs.getLong(1));
            Jdbc.query(c, "select coalesce(d.owner_id, ''), sum(d.close_slips) from deal d where " + where + " and d.close_slips > 0"
                    + " group by coalesce(d.owner_id, '') order by 2 desc, 1 limit 20", args,
                    rs -> owners.add(new ForecastReport.Count(rs.getString(1).isEmpty() ? null : rs.getString(1), rs.getLong(2))));
        }
        List<ForecastReport.Count> deals = new ArrayList<>();
        if (slipping[0] > 0) {
            // read down the slip-count index and stop once all (at most 20) are found: H2's planner would rather scan the
            // pipeline's deals, and cannot end a range on a descending column by itself
            Jdbc.query(c, "select d.deal_id, d.close_slips from deal d" + (Database.isPostgres(c) ? "" : " use index (ix_deal_slips)")
                    + " where " + where + " and d.close_slips > 0 order by d.close_slips desc, d.deal_id limit " + Math.min(20, slipping[0]),
                    args, rs -> deals.add(new ForecastReport.Count(rs.getString(1), rs.getLong(2))));
        }
        return new ForecastReport.Slips(total[0], owners, deals);
    }
}
