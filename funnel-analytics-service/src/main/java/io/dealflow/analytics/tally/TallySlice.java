package io.dealflow.analytics.tally;



/**
 * The slices a deal is counted in: all deals of its pipeline, its owner's, its source's, and (for the funnel's
 * counters only) the deals created in the same UTC month.
 */
public final class TallySlice {

    public static final String ALL_DEALS = "*";

    private TallySlice() {
    }

    public static String owner(String ownerId) {
        return "owner:" + ownerId;
    }

    public static String source(String source) {
        return "source:" + source;
    }

    /** The deals created in one UTC month (2026-07). */
    public static String created(String month) {
        return "created:" + month;
    }
}
