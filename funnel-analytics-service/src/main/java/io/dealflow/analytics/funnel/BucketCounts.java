package io.dealflow.analytics.funnel;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts per bucket, as one counter row keeps them (tally.buckets, V16): pairs of a bucket (int) and its count (long),
 * by bucket. The buckets are {@link DurationSketch} buckets for the time in stage ('time', one row per stage) and the
 * sales cycle ('cycle'), and creation days (days since 1970-01-01) for the cohorts ('cohort', one row per status).
 * One row instead of one per bucket: a batch rewrites a few rows instead of thousands, and a query reads a few rows
 * instead of hundreds.
 */
public final class BucketCounts {

    @FunctionalInterface
    public interface Each {
        void bucket(int bucket, long count);
    }

    private static final int PAIR_BYTES = Integer.BYTES + Long.BYTES;

    private final Map<Integer, Long> counts = new TreeMap<>();

    public static BucketCounts of(byte[] stored) {
        BucketCounts buckets = new BucketCounts();
        forEach(stored, buckets::add);
        return buckets;
    }

    /** A bucket that falls back to nothing is dropped. */
    public void add(int bucket, long count) {
        counts.merge(bucket, count, (x, y) -> x + y == 0 ? null : x + y);
    }

    public void addAll(BucketCounts other) {
        other.counts.forEach(this::add);
    }

    public boolean isEmpty() {
        return counts.isEmpty();
    }

    /** The stored form; null when no bucket is left. */
    public byte[] encode() {
        if (counts.isEmpty()) {
            return null;
        }
        ByteBuffer bytes = ByteBuffer.allocate(counts.size() * PAIR_BYTES);
        counts.forEach((bucket, count) -> bytes.putInt(bucket).putLong(count));
        return bytes.array();
    }

    /** Each bucket of a stored form (none for null). */
    public static void forEach(byte[] stored, Each each) {
        if (stored == null) {
            return;
        }
        ByteBuffer bytes = ByteBuffer.wrap(stored);
        while (bytes.remaining() >= PAIR_BYTES) {
            each.bucket(bytes.getInt(), bytes.getLong());
        }
    }
}
