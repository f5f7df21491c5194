package io.dealflow.analytics.tally;



/**
 * Time-in-stage quantiles from logarithmic buckets (the DDSketch mapping): bucket {@code i} counts durations in
 * (γ^(i-1), γ^i] seconds and answers with a value within 2 % of every duration in it, so a median or p90 read
 * from the buckets is within 2 % of the exact nearest-rank value. Buckets add up, so the projection keeps them as
 * counters (one row per stage, {@link BucketCounts}) and a query merges them without touching the visits. 2 % rather than 1 %: half the buckets for the
 * funnel to read (about 75 instead of 150 per stage when stays range over a factor of 20), see V15.
 */
public final class DurationSketch {

    public static final double RELATIVE_ACCURACY = 0.02;
    private static final double GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
    private static final double LOG_GAMMA = Math.log(GAMMA);
    /** The bucket of zero-second stays. */
    public static final int ZERO = Integer.MIN_VALUE;

    private final BucketCounts counts = new BucketCounts();
    private long visits;
    private double seconds;

    public static int bucket(long seconds) {
        return seconds <= 0 ? ZERO : (int) Math.ceil(Math.log(seconds) / LOG_GAMMA);
    }

    static double value(int bucket) {
        return bucket == ZERO ? 0 : 2 * Math.pow(GAMMA, bucket) / (GAMMA + 1);
    }

    public void add(long durationSeconds) {
        add(bucket(durationSeconds), 1, durationSeconds);
    }

    /** Adds a stored bucket: {@code visits} stays with {@code seconds} in total (both negative to take them away). */
    public void add(int bucket, long visits, double seconds) {
        counts.add(bucket, visits);
        this.visits += visits;
        this.seconds += seconds;
    }

    /** Adds the stays of a stored counter ({@link BucketCounts}) {@code sign} times, with their {@code seconds} in total. */
    public void add(byte[] buckets, int sign, double seconds) {
        BucketCounts.forEach(buckets, (bucket, count) -> add(bucket, sign * count, 0));
        this.seconds += sign * seconds;
    }

    /** The exact mean duration in seconds (0 without visits). */
    public double meanSeconds() {
        return visits <= 0 ? 0 : seconds / visits;
    }

    public long visits() {
        return visits;
    }

    /** The smallest duration with at least {@code q} of the visits at or below it, within 2 %, in seconds. */
    public double quantile(double q) {
        long rank = Math.max(1, (long) Math.ceil(q * visits - 1e-9));
        long seen = 0;
        for (int i = 0; i < counts.size(); i++) {
            seen += counts.count(i);
            if (seen >= rank) {
                return value(counts.bucket(i));
            }
        }
        return value(counts.bucket(counts.size() - 1));
    }
}
