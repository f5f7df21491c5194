package io.dealflow.analytics.journey;

import io.dealflow.analytics.common.Jdbc;
import io.dealflow.analytics.funnel.FunnelFilter;
import io.dealflow.analytics.funnel.PipelineStages;
import io.dealflow.analytics.funnel.TallyRows;
import io.dealflow.analytics.tally.DurationSketch;
import io.dealflow.analytics.tally.TallyMetric;
import io.dealflow.analytics.tally.TallySlice;
import io.dealflow.analytics.web.ProblemException;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Answers the velocity question from the projection's counters when the filter has a slice (and a grouping, if
 * asked, is over all deals), otherwise from the deal table; both give the same numbers.
 */
@Singleton
public class VelocityQuery {

    private static final String[] FIGURE_METRICS = {TallyMetric.STATUS, TallyMetric.CYCLE};

    private final DataSource dataSource;
    private final TallyRows tallies;

    public VelocityQuery(DataSource dataSource, TallyRows tallies) {
        this.dataSource = dataSource;
        this.tallies = tallies;
    }

    /** What the figures are computed from; every part adds up over deals, so groups can also be subtracted. */
    private static final class Inputs {
        final Map<String, long[]> perCurrency = new TreeMap<>(); // open, won, lost
        final Map<String, BigDecimal> wonAmount = new TreeMap<>();
        final long[] status = new long[3]; // open, won, lost
        final DurationSketch cycles = new DurationSketch();
        BigDecimal cycleSeconds = BigDecimal.ZERO;

        void status(String status, String currency, long n, BigDecimal amount) {
            long[] counts = perCurrency.computeIfAbsent(currency, k -> new long[3]);
            switch (status) {
                case "OPEN" -> {
                    this.status[0] += n;
                    counts[0] += n;
                }
                case "WON" -> {
                    this.status[1] += n;
                    counts[1] += n;
                    wonAmount.merge(currency, amount, BigDecimal::add);
                }
                default -> {
                    this.status[2] += n;
                    counts[2] += n;
                }
            }
        }

        void cycle(int bucket, long n, BigDecimal seconds) {
            cycles.add(bucket, n, seconds.doubleValue());
            cycleSeconds = cycleSeconds.add(seconds);
        }

        void cycles(byte[] buckets, int sign, BigDecimal seconds) {
            cycles.add(buckets, sign, seconds.doubleValue());
            cycleSeconds = cycleSeconds.add(sign < 0 ? seconds.negate() : seconds);
        }

        void add(TallyRows.Row row, int sign) {
            BigDecimal amount = sign < 0 ? row.amount().negate() : row.amount();
            if (row.metric().equals(TallyMetric.STATUS)) {
                status(row.k1(), row.k2(), sign * row.n(), amount);
            } else {
                cycles(row.buckets(), sign, row.amount());
            }
        }

        boolean isEmpty() {
            return status[0] + status[1] + status[2] == 0;
        }

        VelocityReport.Figures figures() {
            long won = cycles.visits();
            Double averageCycle = won == 0 ? null
                    : round(cycleSeconds.divide(BigDecimal.valueOf(won), 10, RoundingMode.HALF_EVEN).doubleValue() / 86400.0);
            Double medianCycle = won == 0 ? null : round(cycles.quantile(0.5) / 86400.0);
            Double winRate = Jdbc.ratio(status[1], status[1] + status[2]);
            List<VelocityReport.CurrencyFigures> currencies = new ArrayList<>();
            perCurrency.forEach((currency, counts) -> {
                if (counts[0] + counts[1] + counts[2] == 0) {
                    return; // no deals of this group in this currency
                }
                BigDecimal average = counts[1] == 0 ? null
                        : wonAmount.get(currency).divide(BigDecimal.valueOf(counts[1]), 10, RoundingMode.HALF_EVEN);
                BigDecimal velocity = average == null || winRate == null || averageCycle == null || averageCycle == 0 ? null
                        : average.multiply(BigDecimal.valueOf(counts[0])).multiply(BigDecimal.valueOf(winRate))
                        .divide(BigDecimal.valueOf(averageCycle), 10, RoundingMode.HALF_EVEN);
                currencies.add(new VelocityReport.CurrencyFigures(currency, counts[0], counts[1], money(average, currency), money(velocity, currency)));
            });
            return new VelocityReport.Figures(status[0], status[1], status[2], winRate, averageCycle, medianCycle, currencies);
        }
    }

    public VelocityReport velocity(FunnelFilter filter, String groupBy) {
        String group = switch (groupBy == null ? "" : groupBy) {
            case "" -> null;
            case "owner", "source" -> groupBy;
            default -> throw ProblemException.badRequest("groupBy must be owner or source");
        };
        return Jdbc.read(dataSource, c -> {
            PipelineStages.load(c, filter.pipelineId());
            Inputs total;
            List<VelocityReport.ReasonCount> reasons = new ArrayList<>();
            Map<String, Inputs> groups = new TreeMap<>(Comparator.nullsFirst(Comparator.naturalOrder()));
            String slice = filter.slice();
            if (slice != null && (group == null || slice.equals(TallySlice.ALL_DEALS))) {
                total = new Inputs();
                List<TallyRows.Row> figureRows = new ArrayList<>();
                for (TallyRows.Row row : tallies.read(c, filter, TallyMetric.STATUS, TallyMetric.CYCLE, TallyMetric.LOST_REASON)) {
                    if (row.metric().equals(TallyMetric.LOST_REASON)) {
                        reasons.add(new VelocityReport.ReasonCount(row.k1(), row.n()));
                    } else {
                        total.add(row, 1);
                        figureRows.add(row);
                    }
                }
                if (group != null) {
                    groupsFromCounters(c, filter.pipelineId(), group, figureRows, groups);
                }
            } else {
                List<Object> args = FunnelFilter.args();
                String where = filter.where(args);
                total = fromDeals(c, where, args);
                Jdbc.query(c, "select d.lost_reason, count(*) from deal d where " + where + " and d.status = 'LOST' group by d.lost_reason",
                        args, rs -> reasons.add(new VelocityReport.ReasonCount(rs.getString(1), rs.getLong(2))));
                if (group != null) {
                    String column = group.equals("owner") ? "d.owner_id" : "d.source";
                    List<String> keys = new ArrayList<>();
                    Jdbc.query(c, "select distinct coalesce(" + column + ", '') from deal d where " + where, args, rs -> keys.add(rs.getString(1)));
                    for (String key : keys) {
                        List<Object> groupArgs = new ArrayList<>(args);
                        groupArgs.add(key);
                        groups.put(key.isEmpty() ? null : key, fromDeals(c, where + " and coalesce(" + column + ", '') = ?", groupArgs));
                    }
                }
            }
            reasons.sort(Comparator.comparingLong(VelocityReport.ReasonCount::deals).reversed()
                    .thenComparing(VelocityReport.ReasonCount::reason, Comparator.nullsFirst(Comparator.naturalOrder())));
            List<VelocityReport.Group> result = new ArrayList<>();
            groups.forEach((key, inputs) -> result.add(new VelocityReport.Group(key, inputs.figures())));
            return new VelocityReport(filter.pipelineId(), Jdbc.asOf(c), filter.describe(), total.figures(), reasons, groupBy, result);
        });
    }

    /**
     * One group per owner or source slice. Deals without a source have no slice of their own: their group is the
     * whole pipeline minus every source's.
     */
    private void groupsFromCounters(Connection c, String pipelineId, String group, List<TallyRows.Row> totalRows,
                                           Map<String, Inputs> groups) throws SQLException {
        String prefix = group.equals("owner") ? TallySlice.owner("") : TallySlice.source("");
        Inputs withoutSource = new Inputs();
        for (TallyRows.Row row : totalRows) {
            withoutSource.add(row, 1);
        }
        tallies.readSlices(c, pipelineId, prefix, FIGURE_METRICS).forEach((slice, rows) -> {
            Inputs inputs = new Inputs();
            for (TallyRows.Row row : rows) {
                inputs.add(row, 1);
                withoutSource.add(row, -1);
            }
            String key = slice.substring(prefix.length());
            groups.put(key.isEmpty() ? null : key, inputs);
        });
        if (group.equals("source") && !withoutSource.isEmpty()) {
            groups.put(null, withoutSource);
        }
    }

    private static Inputs fromDeals(Connection c, String where, List<Object> args) throws SQLException {
        Inputs inputs = new Inputs();
        Jdbc.query(c, "select d.currency, d.status, count(*), sum(d.amount) from deal d where " + where + " group by d.currency, d.status",
                args, rs -> inputs.status(rs.getString(2), rs.getString(1).strip(), rs.getLong(3), rs.getBigDecimal(4)));
        Jdbc.query(c, "select d.won_cycle_seconds from deal d where " + where + " and d.status = 'WON' and d.won_cycle_seconds is not null",
                args, rs -> {
                    long seconds = rs.getLong(1);
                    inputs.cycle(DurationSketch.bucket(seconds), 1, BigDecimal.valueOf(seconds));
                });
        return inputs;
    }

    public static String money(BigDecimal amount, String currency) {
        if (amount == null) {
            return null;
        }
        return amount.setScale(Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits()), RoundingMode.HALF_EVEN).toPlainString();
    }

    private static double round(double value) {
        return Math.round(value * 1000.0) / 1000.0;
    }
}
