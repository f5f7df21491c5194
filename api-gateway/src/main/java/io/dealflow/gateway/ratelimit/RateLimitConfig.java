package io.dealflow.gateway.ratelimit;

import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

@Configuration
class RateLimitConfig {

    @Bean
    ClientLimiter clientLimiter(RateLimitProperties properties, ApplicationContext context) {
        if (properties.redisUrl() != null && !properties.redisUrl().isBlank()) {
            return new RedisTokenBuckets(properties, context);
        }
        return new InMemoryTokenBuckets(properties, Clock.systemUTC());
    }
}
