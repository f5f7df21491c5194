package io.dealflow.analytics.tally;

import java.nio.ByteBuffer;
import java.util.Arrays;

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

    // two sorted arrays rather than a map of boxed numbers: a funnel call adds up hundreds of buckets per stage
    private int[] buckets;
    private long[] counts;
    private int size;

    public BucketCounts() {
        this(16);
    }

    private BucketCounts(int capacity) {
        buckets = new int[Math.max(1, capacity)];
        counts = new long[buckets.length];
    }

    public static BucketCounts of(byte[] stored) {
        BucketCounts buckets = new BucketCounts(stored == null ? 0 : stored.length / PAIR_BYTES);
        forEach(stored, buckets::add);
        return buckets;
    }

    /** The stored form of the sum of two stored forms (a counter's two rows). */
    public static byte[] sum(byte[] a, byte[] b) {
        BucketCounts sum = of(a);
        forEach(b, sum::add);
        return sum.encode();
    }

    /** A bucket that falls back to nothing is dropped. */
    public void add(int bucket, long count) {
        int i = Arrays.binarySearch(buckets, 0, size, bucket);
        if (i >= 0) {
            counts[i] += count;
            if (counts[i] == 0) {
                System.arraycopy(buckets, i + 1, buckets, i, size - i - 1);
                System.arraycopy(counts, i + 1, counts, i, size - i - 1);
                size--;
            }
            return;
        }
        if (count == 0) {
            return;
        }
        i = -i - 1;
        if (size == buckets.length) {
            buckets = Arrays.copyOf(buckets, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        System.arraycopy(buckets, i, buckets, i + 1, size - i);
        System.arraycopy(counts, i, counts, i + 1, size - i);
        buckets[i] = bucket;
        counts[i] = count;
        size++;
    }

    public void addAll(BucketCounts other) {
        for (int i = 0; i < other.size; i++) {
            add(other.buckets[i], other.counts[i]);
        }
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The number of buckets holding a count. */
    public int size() {
        return size;
    }

    /** The i-th bucket holding a count, in ascending order. */
    public int bucket(int i) {
        return buckets[i];
    }

    public long count(int i) {
        return counts[i];
    }

    /** The stored form; null when no bucket is left. */
    public byte[] encode() {
        if (size == 0) {
            return null;
        }
        ByteBuffer bytes = ByteBuffer.allocate(size * PAIR_BYTES);
        for (int i = 0; i < size; i++) {
            bytes.putInt(buckets[i]).putLong(counts[i]);
        }
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
