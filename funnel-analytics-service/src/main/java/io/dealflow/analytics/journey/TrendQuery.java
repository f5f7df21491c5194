package io.dealflow.analytics.journey;

import io.dealflow.analytics.common.Jdbc;
import io.dealflow.analytics.funnel.FunnelFilter;
import io.dealflow.analytics.web.ProblemException;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

@Singleton
public class TrendQuery {

    private final DataSource dataSource;

    public TrendQuery(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public TrendReport trends(FunnelFilter filter, String interval) {
        String column = switch (interval == null ? "month" : interval) {
            case "month" -> "d.created_month";
            case "week" -> "d.created_week";
            default -> throw ProblemException.badRequest("interval must be week or month");
        };
        return Jdbc.read(dataSource, c -> {
            PipelineStages.load(c, filter.pipelineId());
            List<Object> args = FunnelFilter.args();
            String where = filter.where(args);
            Map<String, long[]> cohorts = new TreeMap<>(); // won, lost, open
            Jdbc.query(c, "select " + column + ", d.status, count(*) from deal d where " + where + " group by " + column + ", d.status",
                    args, rs -> {
                        long[] counts = cohorts.computeIfAbsent(rs.getString(1), k -> new long[3]);
                        switch (rs.getString(2)) {
                            case "WON" -> counts[0] += rs.getLong(3);
                            case "LOST" -> counts[1] += rs.getLong(3);
                            default -> counts[2] += rs.getLong(3);
                        }
                    });
            List<TrendReport.Cohort> result = new ArrayList<>();
            cohorts.forEach((cohort, n) -> {
                long created = n[0] + n[1] + n[2];
                result.add(new TrendReport.Cohort(cohort, created, n[0], n[1], n[2], Jdbc.ratio(n[0], created)));
            });
            return new TrendReport(filter.pipelineId(), Jdbc.asOf(c), filter.describe(), interval == null ? "month" : interval, result);
        });
    }
}
