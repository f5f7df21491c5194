package io.dealflow.analytics.tally;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which stages (or phases) a deal entered, advanced past and was lost in, from its visits in order: a stage counts as
 * advanced when a later visit was to a later stage or the deal was won at or after it, and as lost when a visit to
 * it ended lost. The projection, the deal-table answers and time travel all use this one definition.
 */
public final class ReachedFlags {

    /** One visit: the stage (or phase) and its order, and how the visit ended (null while it lasts). */
    public record Step(String key, int order, String endedBy) {
    }

    /** A stage or phase the deal was in; {@code order} is the position (ordinal) of its first visit. */
    public record Flags(int order, boolean advanced, boolean lost) {
    }

    private ReachedFlags() {
    }

    public static Map<String, Flags> of(List<Step> steps) {
        Map<String, Flags> flags = new LinkedHashMap<>();
        for (Step step : steps) {
            flags.putIfAbsent(step.key(), new Flags(step.order(), false, false));
        }
        int maxAfter = Integer.MIN_VALUE;
        boolean wonAtOrAfter = false;
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step step = steps.get(i);
            wonAtOrAfter |= "WON".equals(step.endedBy());
            Flags f = flags.get(step.key());
            boolean advanced = f.advanced() || maxAfter > step.order() || wonAtOrAfter;
            boolean lost = f.lost() || "LOST".equals(step.endedBy());
            flags.put(step.key(), new Flags(f.order(), advanced, lost));
            maxAfter = Math.max(maxAfter, step.order());
        }
        return flags;
    }
}
