package io.dealflow.gateway.security;

import io.dealflow.gateway.errors.Problems;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

import java.time.Duration;
import java.util.List;

/**
 * Who may call what. Scopes: deals:read, deals:write, analytics:read, admin. Health, metrics and the API docs are
 * open; every API path needs a valid bearer token with the scope for its route and method; anything else is denied.
 */
@Configuration
@EnableWebFluxSecurity
class SecurityConfig {

    static final String[] ANALYTICS_READ = {"/api/v1/funnel", "/api/v1/funnel/**", "/api/v1/forecast", "/api/v1/forecast/**",
            "/api/v1/velocity", "/api/v1/trends", "/api/v1/waterfall", "/api/v1/analytics/freshness"};
    static final String[] DEALS = {"/api/v1/pipelines", "/api/v1/pipelines/**", "/api/v1/deals", "/api/v1/deals/**"};
    static final String[] ADMIN = {"/api/v1/admin/**", "/api/v1/analytics/admin/**", "/api/v1/analytics/reconciliation"};

    @Bean
    SecurityWebFilterChain security(ServerHttpSecurity http) {
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .cors(cors -> { })
                .authorizeExchange(routes -> routes
                        .pathMatchers(HttpMethod.OPTIONS).permitAll()
                        .pathMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus").permitAll()
                        .pathMatchers("/api/docs", "/api/docs/**", "/v3/api-docs/**", "/webjars/**", "/fallback/**").permitAll()
                        .pathMatchers(ADMIN).hasAuthority("SCOPE_admin")
                        .pathMatchers(HttpMethod.GET, ANALYTICS_READ).hasAuthority("SCOPE_analytics:read")
                        .pathMatchers(HttpMethod.GET, DEALS).hasAuthority("SCOPE_deals:read")
                        .pathMatchers(HttpMethod.POST, DEALS).hasAuthority("SCOPE_deals:write")
                        .pathMatchers(HttpMethod.PUT, DEALS).hasAuthority("SCOPE_deals:write")
                        .pathMatchers(HttpMethod.PATCH, DEALS).hasAuthority("SCOPE_deals:write")
                        .pathMatchers(HttpMethod.DELETE, DEALS).hasAuthority("SCOPE_deals:write")
                        .anyExchange().authenticated())
                .oauth2ResourceServer(oauth -> oauth
                        .jwt(jwt -> { })
                        .authenticationEntryPoint((exchange, e) -> Problems.write(exchange.getResponse(), HttpStatus.UNAUTHORIZED,
                                "unauthorized", "A valid bearer token is required"))
                        .accessDeniedHandler((exchange, e) -> Problems.write(exchange.getResponse(), HttpStatus.FORBIDDEN,
                                "forbidden", "The token lacks the scope this call needs")))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((exchange, e) -> Problems.write(exchange.getResponse(), HttpStatus.UNAUTHORIZED,
                                "unauthorized", "A valid bearer token is required"))
                        .accessDeniedHandler((exchange, e) -> Problems.write(exchange.getResponse(), HttpStatus.FORBIDDEN,
                                "forbidden", "The token lacks the scope this call needs")))
                .build();
    }

    @Bean
    CorsConfigurationSource corsConfigurationSource(GatewayAuthProperties auth) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(auth.corsAllowedOrigins() == null ? List.of() : auth.corsAllowedOrigins());
        cors.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
        cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "If-Match", "Idempotency-Key", "X-Request-Id", "traceparent"));
        cors.setExposedHeaders(List.of("ETag", "Location", "X-Request-Id", "traceparent", "Retry-After", "Idempotent-Replayed"));
        cors.setMaxAge(Duration.ofHours(1));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/api/**", cors);
        return source;
    }
}
