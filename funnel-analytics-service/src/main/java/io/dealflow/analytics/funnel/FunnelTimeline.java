package io.dealflow.analytics.funnel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What one deal counts in a pipeline's funnel as it stood at an instant, from its stage visits: the one definition
 * the live funnel, time travel and the projection's per-day change counters share. A deal counts once its first visit
 * has begun; its status is how its latest begun visit ended by then (or OPEN); its stage flags are {@link ReachedFlags}
 * of those visits; every visit ended by then adds its duration to its stage's time.
 */
public final class FunnelTimeline {

    /** One stay in a stage, in the deal's order of visits; {@code leftAt} and {@code endedBy} are null while it lasts. */
    public record Stay(String stageId, int position, Instant enteredAt, Instant leftAt, String endedBy, long durationSeconds) {
    }

    /** One funnel counter, as the projection keeps it: {@code reach} (k1 furthest position, k2 status), {@code stage.*} and {@code time} (k1 stage, k2 bucket). */
    public record Key(String metric, String k1, String k2) {
    }

    /** How much a deal adds to a counter: deals (visits for {@code time}) and, for {@code time}, their seconds. */
    public record Count(long n, long seconds) {
        Count plus(Count other) {
            return new Count(n + other.n, seconds + other.seconds);
        }

        Count negated() {
            return new Count(-n, -seconds);
        }
    }

    /** How a deal's counters changed at an instant. */
    public record Change(Instant at, Map<Key, Count> counts) {
    }

    private FunnelTimeline() {
    }

    /** The deal's counters as they stood at {@code at}: what happened at or before it ({@code inclusive}), or strictly before. */
    public static Map<Key, Count> at(List<Stay> stays, Instant at, boolean inclusive) {
        Map<Key, Count> counts = new HashMap<>();
        List<ReachedFlags.Step> steps = new ArrayList<>(stays.size());
        Stay last = null;
        int maxPosition = Integer.MIN_VALUE;
        for (Stay stay : stays) {
            if (!happened(stay.enteredAt(), at, inclusive)) {
                continue;
            }
            boolean ended = stay.leftAt() != null && happened(stay.leftAt(), at, inclusive);
            steps.add(new ReachedFlags.Step(stay.stageId(), stay.position(), ended ? stay.endedBy() : null));
            if (ended) {
                add(counts, new Key("time", stay.stageId(), Integer.toString(DurationSketch.bucket(stay.durationSeconds()))),
                        new Count(1, stay.durationSeconds()));
            }
            last = stay;
            maxPosition = Math.max(maxPosition, stay.position());
        }
        if (last == null) {
            return counts;
        }
        String status = steps.get(steps.size() - 1).endedBy() == null ? "OPEN" : steps.get(steps.size() - 1).endedBy();
        add(counts, new Key("reach", Integer.toString(maxPosition), status), new Count(1, 0));
        if ("OPEN".equals(status)) {
            add(counts, new Key("stage.current", last.stageId(), ""), new Count(1, 0));
        }
        ReachedFlags.of(steps).forEach((stage, f) -> {
            add(counts, new Key("stage.entered", stage, ""), new Count(1, 0));
            if (f.advanced()) {
                add(counts, new Key("stage.advanced", stage, ""), new Count(1, 0));
            }
            if (f.lost()) {
                add(counts, new Key("stage.lost", stage, ""), new Count(1, 0));
            }
        });
        return counts;
    }

    /**
     * The deal's history as changes of its counters, at each instant a visit began or ended, in time order: the
     * counters at any instant are the sum of the changes at or before it.
     */
    public static List<Change> changes(List<Stay> stays) {
        TreeSet<Instant> instants = new TreeSet<>();
        for (Stay stay : stays) {
            instants.add(stay.enteredAt());
            if (stay.leftAt() != null) {
                instants.add(stay.leftAt());
            }
        }
        List<Change> changes = new ArrayList<>(instants.size());
        Map<Key, Count> before = Map.of();
        for (Instant instant : instants) {
            Map<Key, Count> now = at(stays, instant, true);
            Map<Key, Count> change = new HashMap<>(now);
            before.forEach((key, count) -> add(change, key, count.negated()));
            if (!change.isEmpty()) {
                changes.add(new Change(instant, change));
            }
            before = now;
        }
        return changes;
    }

    private static boolean happened(Instant instant, Instant at, boolean inclusive) {
        return inclusive ? !instant.isAfter(at) : instant.isBefore(at);
    }

    private static void add(Map<Key, Count> counts, Key key, Count count) {
        counts.merge(key, count, (a, b) -> {
            Count sum = a.plus(b);
            return sum.n() == 0 && sum.seconds() == 0 ? null : sum;
        });
    }
}
