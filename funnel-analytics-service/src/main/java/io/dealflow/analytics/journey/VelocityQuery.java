package io.dealflow.analytics.journey;

import io.dealflow.analytics.common.Jdbc;
import io.dealflow.analytics.funnel.FunnelFilter;
import io.dealflow.analytics.web.ProblemException;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

@Singleton
public class VelocityQuery {

    private final DataSource dataSource;

    public VelocityQuery(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public VelocityReport velocity(FunnelFilter filter, String groupBy) {
        String groupColumn = switch (groupBy == null ? "" : groupBy) {
            case "" -> null;
            case "owner" -> "d.owner_id";
            case "source" -> "d.source";
            default -> throw ProblemException.badRequest("groupBy must be owner or source");
        };
        return Jdbc.read(dataSource, c -> {
            PipelineStages.load(c, filter.pipelineId());
            List<Object> args = FunnelFilter.args();
            String where = filter.where(args);
            VelocityReport.Figures total = figures(c, where, args);
            List<VelocityReport.ReasonCount> reasons = new ArrayList<>();
            Jdbc.query(c, "select d.lost_reason, count(*) from deal d where " + where + " and d.status = 'LOST' group by d.lost_reason"
                    + " order by count(*) desc, d.lost_reason", args, rs -> reasons.add(new VelocityReport.ReasonCount(rs.getString(1), rs.getLong(2))));
            List<VelocityReport.Group> groups = new ArrayList<>();
            if (groupColumn != null) {
                List<String> keys = new ArrayList<>();
                Jdbc.query(c, "select distinct coalesce(" + groupColumn + ", '') from deal d where " + where + " order by 1", args,
                        rs -> keys.add(rs.getString(1)));
                for (String key : keys) {
                    List<Object> groupArgs = new ArrayList<>(args);
                    groupArgs.add(key);
                    groups.add(new VelocityReport.Group(key.isEmpty() ? null : key,
                            figures(c, where + " and coalesce(" + groupColumn + ", '') = ?", groupArgs)));
                }
            }
            return new VelocityReport(filter.pipelineId(), Jdbc.asOf(c), filter.describe(), total, reasons, groupBy, groups);
        });
    }

    private VelocityReport.Figures figures(Connection c, String where, List<Object> args) throws SQLException {
        Map<String, long[]> perCurrency = new TreeMap<>(); // open, won
        Map<String, BigDecimal> wonAmount = new TreeMap<>();
        long[] status = new long[3]; // open, won, lost
        Jdbc.query(c, "select d.currency, d.status, count(*), sum(d.amount) from deal d where " + where + " group by d.currency, d.status",
                args, rs -> {
                    String currency = rs.getString(1).strip();
                    long n = rs.getLong(3);
                    long[] counts = perCurrency.computeIfAbsent(currency, k -> new long[2]);
                    switch (rs.getString(2)) {
                        case "OPEN" -> {
                            status[0] += n;
                            counts[0] += n;
                        }
                        case "WON" -> {
                            status[1] += n;
                            counts[1] += n;
                            wonAmount.merge(currency, rs.getBigDecimal(4), BigDecimal::add);
                        }
                        default -> status[2] += n;
                    }
                });
        Double[] cycle = {null, null};
        Jdbc.query(c, "select avg(cast(d.won_cycle_seconds as double precision)),"
                + " percentile_cont(0.5) within group (order by d.won_cycle_seconds) from deal d where " + where
                + " and d.status = 'WON' and d.won_cycle_seconds is not null", args, rs -> {
            double avg = rs.getDouble(1);
            cycle[0] = rs.wasNull() ? null : round(avg / 86400.0);
            double median = rs.getDouble(2);
            cycle[1] = rs.wasNull() ? null : round(median / 86400.0);
        });
        Double winRate = Jdbc.ratio(status[1], status[1] + status[2]);
        List<VelocityReport.CurrencyFigures> currencies = new ArrayList<>();
        perCurrency.forEach((currency, counts) -> {
            BigDecimal average = counts[1] == 0 ? null
                    : wonAmount.get(currency).divide(BigDecimal.valueOf(counts[1]), 10, RoundingMode.HALF_EVEN);
            BigDecimal velocity = average == null || winRate == null || cycle[0] == null || cycle[0] == 0 ? null
                    : average.multiply(BigDecimal.valueOf(counts[0])).multiply(BigDecimal.valueOf(winRate))
                    .divide(BigDecimal.valueOf(cycle[0]), 10, RoundingMode.HALF_EVEN);
            currencies.add(new VelocityReport.CurrencyFigures(currency, counts[0], counts[1], money(average, currency), money(velocity, currency)));
        });
        return new VelocityReport.Figures(status[0], status[1], status[2], winRate, cycle[0], cycle[1], currencies);
    }

    static String money(BigDecimal amount, String currency) {
        if (amount == null) {
            return null;
        }
        return amount.setScale(Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits()), RoundingMode.HALF_EVEN).toPlainString();
    }

    private static double round(double value) {
        return Math.round(value * 1000.0) / 1000.0;
    }
}
