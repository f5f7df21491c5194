package io.dealflow.gateway.ratelimit;

import reactor.core.publisher.Mono;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/** Buckets in this gateway's memory: right for one gateway; with several replicas configure Redis. */
class InMemoryTokenBuckets implements ClientLimiter {

    private static final int MAX_CLIENTS = 100_000;

    private final double capacity;
    private final double perMilli;
    private final Clock clock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    InMemoryTokenBuckets(RateLimitProperties properties, Clock clock) {
        this.capacity = properties.limit();
        this.perMilli = properties.limit() / (double) properties.window().toMillis();
        this.clock = clock;
    }

    @Override
    public Mono<Decision> take(String client) {
        long now = clock.millis();
        if (buckets.size() > MAX_CLIENTS) {
            // a full bucket holds nothing worth keeping: it would be full again when next needed
            buckets.values().removeIf(bucket -> bucket.fullAt(now, capacity, perMilli));
        }
        Bucket bucket = buckets.computeIfAbsent(client, c -> new Bucket(capacity, now));
        return Mono.just(bucket.take(now, capacity, perMilli));
    }

    private static final class Bucket {
        private double tokens;
        private long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        synchronized Decision take(long now, double capacity, double perMilli) {
            tokens = Math.min(capacity, tokens + Math.max(0, now - at) * perMilli);
            at = Math.max(at, now);
            boolean allowed = tokens >= 1;
            if (allowed) {
                tokens -= 1;
            }
            return new Decision(allowed, (long) Math.floor(tokens));
        }

        synchronized boolean fullAt(long now, double capacity, double perMilli) {
            return tokens + Math.max(0, now - at) * perMilli >= capacity;
        }
    }
}
