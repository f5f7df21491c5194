package io.dealflow.gateway.ratelimit;

import io.dealflow.gateway.errors.Problems;
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
import java.time.Clock;

/**
 * Fixed-window rate limit per client (the token's subject, or the caller's address without a token).
 * Over the limit: 429 problem+json with Retry-After. If the counter store fails, requests are let through.
 */
@Component
class RateLimitFilter implements GlobalFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);

    private final RateLimitProperties properties;
    private final RateLimitStore store;
    private final Clock clock = Clock.systemUTC();

    RateLimitFilter(RateLimitProperties properties, RateLimitStore store) {
        this.properties = properties;
        this.store = store;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (!properties.enabled()) {
            return chain.filter(exchange);
        }
        long windowMillis = properties.window().toMillis();
        long now = clock.millis();
        long window = now / windowMillis;
        return exchange.getPrincipal().map(p -> "sub:" + p.getName()).defaultIfEmpty("ip:" + address(exchange))
                .flatMap(client -> store.count(client, window)
                        .onErrorResume(e -> {
                            log.warn("Rate-limit store unavailable, letting the request through: {}", e.toString());
                            return Mono.just(0L);
                        })
                        .flatMap(count -> {
                            exchange.getResponse().getHeaders().set("X-RateLimit-Limit", String.valueOf(properties.limit()));
                            exchange.getResponse().getHeaders().set("X-RateLimit-Remaining", String.valueOf(Math.max(0, properties.limit() - count)));
                            if (count <= properties.limit()) {
                                return chain.filter(exchange);
                            }
                            long retryAfter = Math.max(1, ((window + 1) * windowMillis - now + 999) / 1000);
                            exchange.getResponse().getHeaders().set("Retry-After", String.valueOf(retryAfter));
                            return Problems.write(exchange.getResponse(), HttpStatus.TOO_MANY_REQUESTS, "rate-limited",
                                    "More than " + properties.limit() + " requests in " + properties.window().toSeconds()
                                            + " s; retry after " + retryAfter + " s");
                        }));
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
