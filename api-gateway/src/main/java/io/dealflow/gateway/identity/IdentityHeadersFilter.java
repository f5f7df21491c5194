package io.dealflow.gateway.identity;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.util.stream.Collectors;

/**
 * Passes the verified caller on to the services. Whatever identity headers the client sent are dropped;
 * the gateway sets them from the validated token only, so nobody can act as someone else.
 */
@Component
public class IdentityHeadersFilter implements GlobalFilter, Ordered {

    public static final String SUBJECT = "X-DealFlow-Subject";
    public static final String SCOPES = "X-DealFlow-Scopes";

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return exchange.getPrincipal()
                .filter(JwtAuthenticationToken.class::isInstance)
                .cast(JwtAuthenticationToken.class)
                .map(token -> withIdentity(exchange, token.getToken().getSubject(), token.getAuthorities().stream()
                        .map(GrantedAuthority::getAuthority).filter(a -> a.startsWith("SCOPE_"))
                        .map(a -> a.substring("SCOPE_".length())).collect(Collectors.joining(" "))))
                .defaultIfEmpty(withIdentity(exchange, null, null))
                .flatMap(chain::filter);
    }

    private static ServerWebExchange withIdentity(ServerWebExchange exchange, String subject, String scopes) {
        return exchange.mutate().request(request -> request.headers(headers -> {
            headers.remove(SUBJECT);
            headers.remove(SCOPES);
            if (subject != null) {
                headers.set(SUBJECT, subject);
                headers.set(SCOPES, scopes);
            }
        })).build();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }
}
