package io.dealflow.analytics.journey;

import io.dealflow.analytics.common.Jdbc;
import io.dealflow.analytics.funnel.FunnelFilter;
import io.dealflow.analytics.funnel.FunnelReport;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The funnel as it stood at a past instant, computed from the stored stage visits (when each stay began, when
 * and how it ended). Uses the same definitions as the live funnel; at the present it gives the same numbers.
 */
@Singleton
public class TimeTravelQuery {

    private final DataSource dataSource;

    public TimeTravelQuery(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public FunnelReport funnelAt(FunnelFilter filter, Instant at) {
        Timestamp t = Timestamp.from(at);
        return Jdbc.read(dataSource, c -> {
            PipelineStages pipeline = PipelineStages.load(c, filter.pipelineId());
            List<Object> base = FunnelFilter.args();
            String where = filter.where(base);

            long[] totals = new long[4]; // deals, open, won, lost
            Map<Integer, Long> notWonByMax = new HashMap<>();
            List<Object> args = new ArrayList<>(base);
            args.add(t);
            args.add(t);
            args.add(t);
            args.add(t);
            Jdbc.query(c, "select s.status, s.maxpos, count(*) from (select v.deal_id,"
                    + " case when v.left_at is null or v.left_at > ? then 'OPEN' else v.ended_by end status,"
                    + " (select max(w.position) from stage_visit w where w.deal_id = v.deal_id and w.entered_at <= ?) maxpos"
                    + " from stage_visit v join deal d on d.deal_id = v.deal_id where " + where + " and v.entered_at <= ?"
                    + " and v.seq = (select max(w.seq) from stage_visit w where w.deal_id = v.deal_id and w.entered_at <= ?)) s"
                    + " group by s.status, s.maxpos", reorder(args, base.size()), rs -> {
                long n = rs.getLong(3);
                totals[0] += n;
                switch (rs.getString(1)) {
                    case "WON" -> totals[2] += n;
                    case "LOST" -> {
                        totals[3] += n;
                        notWonByMax.merge(rs.getInt(2), n, Long::sum);
                    }
                    default -> {
                        totals[1] += n;
                        notWonByMax.merge(rs.getInt(2), n, Long::sum);
                    }
                }
            });

            Map<String, Long> entered = countByStage(c, "count(distinct v.deal_id)", where, base, " and v.entered_at <= ?", t);
            Map<String, Long> current = countByStage(c, "count(distinct v.deal_id)", where, base,
                    " and v.entered_at <= ? and (v.left_at is null or v.left_at > ?)", t, t);
            Map<String, Long> lost = countByStage(c, "count(distinct v.deal_id)", where, base,
                    " and v.ended_by = 'LOST' and v.left_at <= ?", t);
            Map<String, Long> advanced = countByStage(c, "count(distinct v.deal_id)", where, base,
                    " and v.entered_at <= ? and (exists (select 1 from stage_visit w where w.deal_id = v.deal_id and w.seq > v.seq"
                            + " and w.entered_at <= ? and w.position > v.position) or exists (select 1 from stage_visit w"
                            + " where w.deal_id = v.deal_id and w.seq >= v.seq and w.ended_by = 'WON' and w.left_at <= ?))", t, t, t);
            Map<String, FunnelReport.TimeInStage> times = new HashMap<>();
            List<Object> timeArgs = new ArrayList<>(base);
            timeArgs.add(t);
            Jdbc.query(c, "select v.stage_id, count(*), avg(cast(v.duration_seconds as double precision)),"
                    + " percentile_cont(0.5) within group (order by v.duration_seconds),"
                    + " percentile_cont(0.9) within group (order by v.duration_seconds)"
                    + " from stage_visit v join deal d on d.deal_id = v.deal_id where " + where
                    + " and v.left_at <= ? group by v.stage_id", timeArgs, rs -> times.put(rs.getString(1),
                    new FunnelReport.TimeInStage(rs.getLong(2), hours(rs.getDouble(3)), hours(rs.getDouble(4)), hours(rs.getDouble(5)))));

            List<Long> reached = new ArrayList<>();
            for (PipelineStages.Stage stage : pipeline.stages()) {
                long r = totals[2];
                for (var e : notWonByMax.entrySet()) {
                    if (e.getKey() != null && e.getKey() >= stage.position()) {
                        r += e.getValue();
                    }
                }
                reached.add(r);
            }
            List<FunnelReport.StageFunnel> stages = new ArrayList<>();
            for (int i = 0; i < pipeline.stages().size(); i++) {
                PipelineStages.Stage s = pipeline.stages().get(i);
                long next = i + 1 < pipeline.stages().size() ? reached.get(i + 1) : totals[2];
                stages.add(new FunnelReport.StageFunnel(s.id(), s.name(), s.position(), s.phase(), s.probability(), reached.get(i),
                        entered.getOrDefault(s.id(), 0L), current.getOrDefault(s.id(), 0L), advanced.getOrDefault(s.id(), 0L),
                        lost.getOrDefault(s.id(), 0L), Jdbc.ratio(next, reached.get(i)),
                        times.getOrDefault(s.id(), new FunnelReport.TimeInStage(0, null, null, null))));
            }
            Map<String, String> filters = new LinkedHashMap<>(filter.describe());
            filters.put("at", at.toString());
            Instant newest = Jdbc.asOf(c);
            Instant asOf = newest == null || newest.isBefore(at) ? newest : at;
            return new FunnelReport(filter.pipelineId(), pipeline.name(), asOf, filters, stages,
                    new FunnelReport.Totals(totals[0], totals[1], totals[2], totals[3], Jdbc.ratio(totals[2], totals[2] + totals[3])));
        });
    }

    /** The status query binds the instant in its select list before the filter's arguments. */
    private static List<Object> reorder(List<Object> args, int filterArgs) {
        List<Object> ordered = new ArrayList<>();
        ordered.add(args.get(filterArgs));
        ordered.add(args.get(filterArgs + 1));
        ordered.addAll(args.subList(0, filterArgs));
        ordered.add(args.get(filterArgs + 2));
        ordered.add(args.get(filterArgs + 3));
        return ordered;
    }

    private static Map<String, Long> countByStage(java.sql.Connection c, String count, String where, List<Object> base,
                                                  String condition, Object... extra) throws java.sql.SQLException {
        List<Object> args = new ArrayList<>(base);
        args.addAll(List.of(extra));
        Map<String, Long> counts = new HashMap<>();
        Jdbc.query(c, "select v.stage_id, " + count + " from stage_visit v join deal d on d.deal_id = v.deal_id where " + where
                + condition + " group by v.stage_id", args, rs -> counts.put(rs.getString(1), rs.getLong(2)));
        return counts;
    }

    private static Double hours(double seconds) {
        return Math.round(seconds / 3600.0 * 1000.0) / 1000.0;
    }
}
