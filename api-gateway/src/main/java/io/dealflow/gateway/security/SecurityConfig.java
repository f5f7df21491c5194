package io.dealflow.gateway.security;

import io.dealflow.gateway.errors.Problems;
import io.dealflow.gateway.routes.RouteTable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Who may call what: the {@link RouteTable} names the scope of every method and path it serves (deals:read,
 * deals:write, analytics:read, admin, or public); anything it does not name is refused. A caller without a valid
 * token gets 401; with one, a path the table does not know gets 404, a method it does not serve there 405, and a
 * missing scope 403 — all problem+json.
 */
@Configuration
@EnableWebFluxSecurity
class SecurityConfig {

    @Bean
    SecurityWebFilterChain security(ServerHttpSecurity http, RouteTable table) {
        ServerAccessDeniedHandler denied = (exchange, e) -> refuse(exchange, table);
        ServerAuthenticationEntryPoint unauthenticated = (exchange, e) -> Problems.write(exchange.getResponse(),
                HttpStatus.UNAUTHORIZED, "unauthorized", "A valid bearer token is required");
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .cors(cors -> { })
                .authorizeExchange(exchanges -> exchanges.anyExchange().access(new RouteTableAuthorization(table)))
                .oauth2ResourceServer(oauth -> oauth
                        .jwt(jwt -> { })
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(denied))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(denied))
                .build();
    }

    private static Mono<Void> refuse(ServerWebExchange exchange, RouteTable table) {
        if (table.resolve(exchange).isPresent()) {
            return Problems.write(exchange.getResponse(), HttpStatus.FORBIDDEN, "forbidden", "The token lacks the scope this call needs");
        }
        Set<HttpMethod> allowed = table.methodsOn(exchange.getRequest().getURI().getRawPath());
        if (allowed.isEmpty()) {
            return Problems.write(exchange.getResponse(), HttpStatus.NOT_FOUND, "not-found", "There is nothing at this path");
        }
        exchange.getResponse().getHeaders().setAllow(allowed);
        return Problems.write(exchange.getResponse(), HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed",
                "This path does not serve " + exchange.getRequest().getMethod().name() + "; it serves " + allowed);
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
