package io.dealflow.gateway.ratelimit;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client gets its limit in any window: no second burst right after a window's edge, credit comes back steadily. */
class InMemoryTokenBucketsTest {

    private final AtomicLong millis = new AtomicLong(1_000_000);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    };
    private final InMemoryTokenBuckets buckets = new InMemoryTokenBuckets(
            new RateLimitProperties(true, 5, Duration.ofSeconds(60), null), clock);

    private int passing(String client, int attempts) {
        int passed = 0;
        for (int i = 0; i < attempts; i++) {
            passed += buckets.take(client).block().allowed() ? 1 : 0;
        }
        return passed;
    }

    @Test
    void theLimitPassesAndNotTwiceItAcrossAWindowsEdge() {
        millis.addAndGet(59_900);
        assertEquals(5, passing("a", 10), "a full bucket: the limit at once");
        millis.addAndGet(200);
        assertEquals(0, passing("a", 10), "a fixed window would start over here and let 5 more through");
        millis.addAndGet(11_800);
        assertEquals(1, passing("a", 10), "12 s later one request's credit is back");
        assertEquals(5, passing("b", 10), "another client has its own bucket");
    }

    @Test
    void creditNeverGrowsBeyondTheLimit() {
        millis.addAndGet(Duration.ofHours(5).toMillis());
        assertEquals(5, passing("idle", 20));
        ClientLimiter.Decision refused = buckets.take("idle").block();
        assertFalse(refused.allowed());
        assertEquals(0, refused.remaining());
        millis.addAndGet(60_000);
        ClientLimiter.Decision full = buckets.take("idle").block();
        assertTrue(full.allowed());
        assertEquals(4, full.remaining());
    }
}
