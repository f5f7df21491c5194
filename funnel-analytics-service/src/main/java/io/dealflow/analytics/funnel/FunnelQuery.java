package io.dealflow.analytics.funnel;

import io.dealflow.analytics.common.Jdbc;
import io.dealflow.analytics.journey.PipelineStages;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Answers the funnel question from the read model. */
@Singleton
public class FunnelQuery {

    private final DataSource dataSource;

    public FunnelQuery(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    private record StageCounts(long entered, long advanced, long lost) {
    }

    public FunnelReport funnel(FunnelFilter filter) {
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            PipelineStages pipeline = PipelineStages.load(c, filter.pipelineId());
            String name = pipeline.name();
            List<PipelineStages.Stage> stages = pipeline.stages();

            List<Object> args = FunnelFilter.args();
            String where = filter.where(args);
            long deals = 0, open = 0, won = 0, lost = 0;
            Map<Integer, Long> notWonByMaxPosition = new HashMap<>();
            try (ResultSet rs = query(c, "select d.max_position, d.status, count(*) from deal d where " + where
                    + " group by d.max_position, d.status", args)) {
                while (rs.next()) {
                    long n = rs.getLong(3);
                    deals += n;
                    switch (rs.getString(2)) {
                        case "OPEN" -> open += n;
                        case "WON" -> won += n;
                        default -> lost += n;
                    }
                    if (!"WON".equals(rs.getString(2))) {
                        notWonByMaxPosition.merge(rs.getInt(1), n, Long::sum);
                    }
                }
            }

            Map<String, StageCounts> counts = new HashMap<>();
            try (ResultSet rs = query(c, "select s.stage_id, count(*), sum(case when s.advanced then 1 else 0 end),"
                    + " sum(case when s.lost then 1 else 0 end) from deal_stage s join deal d on d.deal_id = s.deal_id where "
                    + where + " group by s.stage_id", args)) {
                while (rs.next()) {
                    counts.put(rs.getString(1), new StageCounts(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                }
            }

            Map<String, Long> current = new HashMap<>();
            try (ResultSet rs = query(c, "select d.stage_id, count(*) from deal d where " + where
                    + " and d.status = 'OPEN' group by d.stage_id", args)) {
                while (rs.next()) {
                    current.put(rs.getString(1), rs.getLong(2));
                }
            }

            Map<String, FunnelReport.TimeInStage> times = timeInStage(c, where, args);

            List<Long> reached = new ArrayList<>();
            for (PipelineStages.Stage stage : stages) {
                long r = won;
                for (var e : notWonByMaxPosition.entrySet()) {
                    if (e.getKey() >= stage.position()) {
                        r += e.getValue();
                    }
                }
                reached.add(r);
            }
            List<FunnelReport.StageFunnel> result = new ArrayList<>();
            for (int i = 0; i < stages.size(); i++) {
                PipelineStages.Stage stage = stages.get(i);
                StageCounts sc = counts.getOrDefault(stage.id(), new StageCounts(0, 0, 0));
                long next = i + 1 < stages.size() ? reached.get(i + 1) : won;
                result.add(new FunnelReport.StageFunnel(stage.id(), stage.name(), stage.position(), stage.phase(),
                        stage.probability(), reached.get(i), sc.entered(), current.getOrDefault(stage.id(), 0L),
                        sc.advanced(), sc.lost(), ratio(next, reached.get(i)),
                        times.getOrDefault(stage.id(), new FunnelReport.TimeInStage(0, null, null, null))));
            }
            return new FunnelReport(filter.pipelineId(), name, Jdbc.asOf(c), filter.describe(), result,
                    new FunnelReport.Totals(deals, open, won, lost, ratio(won, won + lost)));
        } catch (SQLException e) {
            throw new IllegalStateException("funnel query failed", e);
        }
    }

    private Map<String, FunnelReport.TimeInStage> timeInStage(Connection c, String where, List<Object> args) throws SQLException {
        Map<String, FunnelReport.TimeInStage> times = new HashMap<>();
        try (ResultSet rs = query(c, "select v.stage_id, count(*), avg(cast(v.duration_seconds as double precision)),"
                + " percentile_cont(0.5) within group (order by v.duration_seconds),"
                + " percentile_cont(0.9) within group (order by v.duration_seconds)"
                + " from stage_visit v join deal d on d.deal_id = v.deal_id where " + where
                + " and v.duration_seconds is not null group by v.stage_id", args)) {
            while (rs.next()) {
                times.put(rs.getString(1), new FunnelReport.TimeInStage(rs.getLong(2), hours(rs.getDouble(3)),
                        hours(rs.getDouble(4)), hours(rs.getDouble(5))));
            }
        }
        return times;
    }

    private static Double hours(double seconds) {
        return Math.round(seconds / 3600.0 * 1000.0) / 1000.0;
    }

    private static Double ratio(long numerator, long denominator) {
        return Jdbc.ratio(numerator, denominator);
    }

    private static ResultSet query(Connection c, String sql, List<Object> args) throws SQLException {
        PreparedStatement statement = c.prepareStatement(sql);
        for (int i = 0; i < args.size(); i++) {
            statement.setObject(i + 1, args.get(i));
        }
        statement.closeOnCompletion();
        return statement.executeQuery();
    }
}
