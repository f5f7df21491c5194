package io.dealflow.gateway.ratelimit;

import reactor.core.publisher.Mono;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Per-instance counters: right for one gateway; with several replicas configure Redis. */
class InMemoryRateLimitStore implements RateLimitStore {

    private record Key(String client, long window) {
    }

    private final ConcurrentHashMap<Key, AtomicLong> counters = new ConcurrentHashMap<>();

    @Override
    public Mono<Long> count(String client, long window) {
        if (counters.size() > 100_000) {
            counters.keySet().removeIf(key -> key.window() < window);
        }
        return Mono.just(counters.computeIfAbsent(new Key(client, window), k -> new AtomicLong()).incrementAndGet());
    }
}
