package io.dealflow.pipeline.access;

import io.dealflow.trust.IdentitySignature;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.time.Clock;
import java.time.Duration;

/** Only the gateway may call the API: its signed identity is checked on every path under /api. */
@Configuration
class AccessConfig implements WebMvcConfigurer {

    private final IdentitySignature signature;

    AccessConfig(@Value("${dealflow.gateway-secret:}") String secret, @Value("${dealflow.identity-max-age:60s}") Duration maxAge) {
        this.signature = new IdentitySignature(secret, Clock.systemUTC(), maxAge);
    }

    @Bean
    IdentitySignature identitySignature() {
        return signature;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new GatewayIdentityInterceptor(signature)).addPathPatterns("/api/**");
    }
}
