package io.dealflow.gateway.ratelimit;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;

import java.time.Duration;

/** Counters in Redis, shared by every gateway replica: one key per client and window, expiring after it. */
class RedisRateLimitStore implements RateLimitStore {

    private final ReactiveStringRedisTemplate redis;
    private final Duration ttl;

    RedisRateLimitStore(ReactiveStringRedisTemplate redis, Duration window) {
        this.redis = redis;
        this.ttl = window.multipliedBy(2);
    }

    @Override
    public Mono<Long> count(String client, long window) {
        String key = "dealflow:rate:" + client + ":" + window;
        return redis.opsForValue().increment(key)
                .flatMap(count -> count == 1 ? redis.expire(key, ttl).thenReturn(count) : Mono.just(count));
    }
}
