package io.dealflow.analytics.journey;

import io.dealflow.analytics.common.Jdbc;
import io.dealflow.analytics.funnel.FunnelFilter;
import io.dealflow.analytics.funnel.PipelineStages;
import io.dealflow.analytics.funnel.TallyRows;
import io.dealflow.analytics.tally.BucketCounts;
import io.dealflow.analytics.tally.Cohorts;
import io.dealflow.analytics.tally.TallyMetric;
import io.dealflow.analytics.web.ProblemException;
import jakarta.inject.Singleton;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/** Answers from the projection's cohort counters (deals per status and creation day) when the filter has a slice, otherwise from the deal table. */
@Singleton
public class TrendQuery {

    private final DataSource dataSource;
    private final TallyRows tallies;

    public TrendQuery(DataSource dataSource, TallyRows tallies) {
        this.dataSource = dataSource;
        this.tallies = tallies;
    }

    public TrendReport trends(FunnelFilter filter, String interval) {
        String column = switch (interval == null ? "month" : interval) {
            case "month" -> "d.created_month";
            case "week" -> "d.created_week";
            default -> throw ProblemException.badRequest("interval must be week or month");
        };
        return Jdbc.read(dataSource, c -> {
            PipelineStages.load(c, filter.pipelineId());
            Map<String, long[]> cohorts = new TreeMap<>(); // won, lost, open
            if (filter.slice() != null) {
                // one row per status, its deals counted per creation day (the buckets are days since 1970-01-01)
                for (TallyRows.Row row : tallies.read(c, filter, TallyMetric.COHORT)) {
                    BucketCounts.forEach(row.buckets(), (epochDay, n) -> {
                        LocalDate day = LocalDate.ofEpochDay(epochDay);
                        count(cohorts, column.endsWith("month") ? Cohorts.month(day) : Cohorts.week(day), row.k1(), n);
                    });
                }
            } else {
                List<Object> args = FunnelFilter.args();
                String where = filter.where(args);
                Jdbc.query(c, "select " + column + ", d.status, count(*) from deal d where " + where + " group by " + column + ", d.status",
                        args, rs -> count(cohorts, rs.getString(1), rs.getString(2), rs.getLong(3)));
            }
            List<TrendReport.Cohort> result = new ArrayList<>();
            cohorts.forEach((cohort, n) -> {
                long created = n[0] + n[1] + n[2];
                result.add(new TrendReport.Cohort(cohort, created, n[0], n[1], n[2], Jdbc.ratio(n[0], created)));
            });
            return new TrendReport(filter.pipelineId(), Jdbc.asOf(c), filter.describe(), interval == null ? "month" : interval, result);
        });
    }

    private static void count(Map<String, long[]> cohorts, String cohort, String status, long n) {
        long[] counts = cohorts.computeIfAbsent(cohort, k -> new long[3]);
        switch (status) {
            case "WON" -> counts[0] += n;
            case "LOST" -> counts[1] += n;
            default -> counts[2] += n;
        }
    }
}
