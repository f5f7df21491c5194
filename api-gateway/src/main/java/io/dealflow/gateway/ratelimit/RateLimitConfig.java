package io.dealflow.gateway.ratelimit;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

@Configuration
class RateLimitConfig {

    @Bean
    RateLimitStore rateLimitStore(RateLimitProperties properties, ObjectProvider<ReactiveStringRedisTemplate> redis) {
        if (properties.redisUrl() != null && !properties.redisUrl().isBlank()) {
            return new RedisRateLimitStore(redis.getObject(), properties.window());
        }
        return new InMemoryRateLimitStore();
    }
}
