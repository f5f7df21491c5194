package io.dealflow.gateway.ratelimit;

import io.dealflow.gateway.errors.Problems;
import io.dealflow.gateway.tracing.RequestLogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rate limit per client (the token's subject, or the caller's address without a token): a token bucket, so a client
 * gets {@code limit} requests in any {@code window} (see {@link ClientLimiter}). Over the limit: 429 problem+json with
 * Retry-After (the time one request's credit takes to come back). If Redis fails, requests are let through.
 */
@Component
class RateLimitFilter implements GlobalFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final RateLimitProperties properties;
    private final ClientLimiter limiter;
    private final long retryAfterSeconds;
    private final AtomicLong lastWarned = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    RateLimitFilter(RateLimitProperties properties, ClientLimiter limiter) {
        this.properties = properties;
        this.limiter = limiter;
        long perRequest = 1000L * properties.limit();
        this.retryAfterSeconds = Math.max(1, (properties.window().toMillis() + perRequest - 1) / perRequest);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (!properties.enabled()) {
            return chain.filter(exchange);
        }
        return exchange.getPrincipal().map(p -> "sub:" + p.getName()).defaultIfEmpty("ip:" + address(exchange))
                .flatMap(client -> limiter.take(client)
                        .onErrorResume(e -> Mono.just(ClientLimiter.Decision.unchecked()))
                        .flatMap(decision -> {
                            exchange.getResponse().getHeaders().set("X-RateLimit-Limit", String.valueOf(properties.limit()));
                            if (decision.checked()) {
                                exchange.getResponse().getHeaders().set("X-RateLimit-Remaining", String.valueOf(decision.remaining()));
                            } else {
                                warnUnchecked(exchange);
                            }
                            if (decision.allowed()) {
                                return chain.filter(exchange);
                            }
                            exchange.getResponse().getHeaders().set("Retry-After", String.valueOf(retryAfterSeconds));
                            return Problems.write(exchange.getResponse(), HttpStatus.TOO_MANY_REQUESTS, "rate-limited",
                                    "More than " + properties.limit() + " requests in " + properties.window().toSeconds()
                                            + " s; retry after " + retryAfterSeconds + " s");
                        }));
    }

    /** At most one warning per 10 s while the store is down, naming the request it happened on. */
    private void warnUnchecked(ServerWebExchange exchange) {
        long now = System.nanoTime();
        long last = lastWarned.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarned.compareAndSet(last, now)) {
            RequestLogContext.log(exchange, () -> log.warn("Rate-limit store unavailable, letting requests through unchecked"));
        }
    }

    private static String address(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 20;
    }
}
