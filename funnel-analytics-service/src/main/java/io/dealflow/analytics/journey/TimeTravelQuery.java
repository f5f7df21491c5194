package io.dealflow.analytics.journey;

import io.dealflow.analytics.common.Jdbc;
import io.dealflow.analytics.funnel.DurationSketch;
import io.dealflow.analytics.funnel.FunnelFilter;
import io.dealflow.analytics.funnel.FunnelReport;
import io.dealflow.analytics.funnel.ReachedFlags;
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
 * and how it ended) in one ordered pass. Uses the same definitions as the live funnel; at the present it gives
 * the same numbers (the property test checks both against an independent model).
 */
@Singleton
public class TimeTravelQuery {

    private final DataSource dataSource;

    public TimeTravelQuery(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    private record Visit(String stageId, int position, Instant left, String endedBy) {
    }

    /** Counts for one stage while streaming the visits deal by deal. */
    private static final class StageCounts {
        long entered;
        long current;
        long advanced;
        long lost;
        final DurationSketch time = new DurationSketch();
    }

    public FunnelReport funnelAt(FunnelFilter filter, Instant at) {
        Timestamp t = Timestamp.from(at);
        return Jdbc.read(dataSource, c -> {
            PipelineStages pipeline = PipelineStages.load(c, filter.pipelineId());
            List<Object> args = FunnelFilter.args();
            String visitsFrom;
            if (filter.equals(FunnelFilter.pipeline(filter.pipelineId()))) {
                // the visits carry their pipeline: without other filters the deal table need not be joined
                visitsFrom = "stage_visit v where v.pipeline_id = ?";
                args.add(filter.pipelineId());
            } else {
                visitsFrom = "stage_visit v join deal d on d.deal_id = v.deal_id where " + filter.where(args);
            }
            args.add(t);
            long[] totals = new long[4]; // deals, open, won, lost
            Map<Integer, Long> notWonByMax = new HashMap<>();
            Map<String, StageCounts> stages = new HashMap<>();
            List<Visit> visits = new ArrayList<>();
            String[] currentDeal = {null};
            // one ordered pass over the visits begun by then; a deal is evaluated once its last visit has been read
            Jdbc.query(c, "select v.deal_id, v.stage_id, v.position, v.left_at, v.ended_by, v.duration_seconds from " + visitsFrom
                    + " and v.entered_at <= ? order by v.deal_id, v.seq", args, rs -> {
                String deal = rs.getString(1);
                if (!deal.equals(currentDeal[0])) {
                    evaluate(visits, totals, notWonByMax, stages);
                    visits.clear();
                    currentDeal[0] = deal;
                }
                Timestamp left = rs.getTimestamp(4);
                boolean ended = left != null && !left.after(t);
                visits.add(new Visit(rs.getString(2), rs.getInt(3), ended ? left.toInstant() : null, ended ? rs.getString(5) : null));
                if (ended) {
                    stages.computeIfAbsent(rs.getString(2), k -> new StageCounts()).time.add(rs.getLong(6));
                }
            });
            evaluate(visits, totals, notWonByMax, stages);

            List<Long> reached = new ArrayList<>();
            for (PipelineStages.Stage stage : pipeline.stages()) {
                long r = totals[2];
                for (var e : notWonByMax.entrySet()) {
                    if (e.getKey() >= stage.position()) {
                        r += e.getValue();
                    }
                }
                reached.add(r);
            }
            List<FunnelReport.StageFunnel> rows = new ArrayList<>();
            for (int i = 0; i < pipeline.stages().size(); i++) {
                PipelineStages.Stage s = pipeline.stages().get(i);
                StageCounts sc = stages.getOrDefault(s.id(), new StageCounts());
                long next = i + 1 < pipeline.stages().size() ? reached.get(i + 1) : totals[2];
                rows.add(new FunnelReport.StageFunnel(s.id(), s.name(), s.position(), s.phase(), s.probability(), reached.get(i),
                        sc.entered, sc.current, sc.advanced, sc.lost, Jdbc.ratio(next, reached.get(i)), sc.time.hours()));
            }
            Map<String, String> filters = new LinkedHashMap<>(filter.describe());
            filters.put("at", at.toString());
            Instant newest = Jdbc.asOf(c);
            Instant asOf = newest == null || newest.isBefore(at) ? newest : at;
            return new FunnelReport(filter.pipelineId(), pipeline.name(), asOf, filters, rows,
                    new FunnelReport.Totals(totals[0], totals[1], totals[2], totals[3], Jdbc.ratio(totals[2], totals[2] + totals[3])));
        });
    }

    /** One deal as it stood: its status is how its latest visit ended (or OPEN); its stage flags as {@link ReachedFlags} defines them. */
    private static void evaluate(List<Visit> visits, long[] totals, Map<Integer, Long> notWonByMax, Map<String, StageCounts> stages) {
        if (visits.isEmpty()) {
            return;
        }
        Visit last = visits.get(visits.size() - 1);
        String status = last.left() == null ? "OPEN" : last.endedBy();
        int max = visits.stream().mapToInt(Visit::position).max().orElseThrow();
        totals[0]++;
        switch (status) {
            case "WON" -> totals[2]++;
            case "LOST" -> totals[3]++;
            default -> totals[1]++;
        }
        if (!"WON".equals(status)) {
            notWonByMax.merge(max, 1L, Long::sum);
        }
        List<ReachedFlags.Step> steps = visits.stream().map(v -> new ReachedFlags.Step(v.stageId(), v.position(), v.endedBy())).toList();
        ReachedFlags.of(steps).forEach((stage, f) -> {
            StageCounts counts = stages.computeIfAbsent(stage, k -> new StageCounts());
            counts.entered++;
            counts.advanced += f.advanced() ? 1 : 0;
            counts.lost += f.lost() ? 1 : 0;
        });
        if ("OPEN".equals(status)) {
            stages.computeIfAbsent(last.stageId(), k -> new StageCounts()).current++;
        }
    }
}
