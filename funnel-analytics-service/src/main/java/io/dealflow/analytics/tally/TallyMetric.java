package io.dealflow.analytics.tally;



/**
 * The counters' metrics: what each one counts per deal of a slice ({@link TallySlice}) and what its keys k1…k4 hold
 * (unused keys are empty). The projection writes them (projection.Tallies); the funnel and journey queries read them.
 * Counts are deals unless said otherwise; "amount" is the counter's sum of the deals' amounts.
 */
public final class TallyMetric {

    /** Deals by the furthest stage position they reached: k1 position, k2 status. Funnel slices only. */
    public static final String REACH = "reach";
    /** Deals that entered a stage (k1 stage id); {@link #STAGE_ADVANCED} of those went on, {@link #STAGE_LOST} were lost there. */
    public static final String STAGE_ENTERED = "stage.entered";
    public static final String STAGE_ADVANCED = "stage.advanced";
    public static final String STAGE_LOST = "stage.lost";
    /** Open deals now in a stage: k1 stage id. */
    public static final String STAGE_CURRENT = "stage.current";
    /** Finished stays in a stage: k1 stage id; buckets of durations ({@link DurationSketch}), amount = seconds. */
    public static final String TIME = "time";
    /** The same as the stage flags, per phase of the journey: k1 phase. */
    public static final String PHASE_ENTERED = "phase.entered";
    public static final String PHASE_ADVANCED = "phase.advanced";
    public static final String PHASE_LOST = "phase.lost";
    /** Deals by the furthest phase they reached: k1 phase ordinal, k2 status. */
    public static final String PHASE_REACH = "phase.reach";
    /** Open deals: k1 expected close month (yyyy-MM, empty if none), k2 currency, k3 stage id, k4 stage probability; amount. */
    public static final String OPEN = "open";
    /** Deals by status: k1 status, k2 currency; amount. */
    public static final String STATUS = "status";
    /** Won deals' sales cycles: buckets of durations, amount = seconds. */
    public static final String CYCLE = "cycle";
    /** Deals by status and creation day: k1 status; buckets of epoch days. */
    public static final String COHORT = "cohort";
    /** Lost deals by reason: k1 reason. */
    public static final String LOST_REASON = "lost.reason";
    /** Close-date slips (a count of slips, not deals). */
    public static final String SLIPS = "slips";
    /** Deals whose close date slipped at least once. */
    public static final String SLIPPING = "slipping";
    /** Close-date slips per owner (whole-pipeline slice only): k1 owner id. */
    public static final String SLIPS_OWNER = "slips.owner";
    /** Closed deals per month (whole-pipeline slice only): k1 month, k2 status, k3 furthest position. */
    public static final String CLOSED_MONTH = "closed.month";
    /** The same per closing day, one metric per month ("closed:2026-07"): k1 day, k2 status, k3 furthest position. */
    public static final String CLOSED_DAYS_PREFIX = "closed:";

    private TallyMetric() {
    }

    public static String closedDays(String month) {
        return CLOSED_DAYS_PREFIX + month;
    }
}
