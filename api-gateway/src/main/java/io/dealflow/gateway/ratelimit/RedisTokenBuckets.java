package io.dealflow.gateway.ratelimit;

import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.context.ApplicationContext;
import reactor.core.publisher.Mono;

/**
 * Buckets in Redis, shared by every gateway replica: Spring Cloud Gateway's token-bucket script, which refills and
 * takes in one atomic step. A request costs {@code window} seconds' worth of tokens, the bucket refills {@code limit}
 * tokens a second and holds {@code limit × window} of them: {@code limit} requests per {@code window}, even below one
 * request a second. When Redis does not answer, the script's caller lets the request through (no tokens left to
 * report: the decision is unchecked).
 */
class RedisTokenBuckets implements ClientLimiter {

    private static final String ROUTE = "dealflow";

    private final RedisRateLimiter limiter;
    private final int cost;

    RedisTokenBuckets(RateLimitProperties properties, ApplicationContext context) {
        this.cost = (int) Math.max(1, properties.window().toSeconds());
        this.limiter = new RedisRateLimiter(properties.limit(), properties.limit() * cost, cost);
        this.limiter.setApplicationContext(context);
    }

    @Override
    public Mono<Decision> take(String client) {
        return limiter.isAllowed(ROUTE, client).map(response -> {
            long tokens = Long.parseLong(response.getHeaders().getOrDefault(limiter.getRemainingHeader(), "-1"));
            return tokens < 0 ? Decision.unchecked() : new Decision(response.isAllowed(), tokens / cost);
        });
    }
}
