package io.dealflow.gateway.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/** At most {@code limit} requests per client in each {@code window}; shared through Redis when {@code redisUrl} is set. */
@ConfigurationProperties("dealflow.rate-limit")
public record RateLimitProperties(boolean enabled, int limit, Duration window, String redisUrl) {
}
