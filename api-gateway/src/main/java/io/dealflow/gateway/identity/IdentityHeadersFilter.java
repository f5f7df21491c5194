package io.dealflow.gateway.identity;

import io.dealflow.trust.IdentitySignature;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.core.Ordered;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.Collectors;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

/**
 * Passes the verified caller on to the services. Whatever identity headers the client sent are dropped; the gateway
 * sets them from the validated token only and signs them, with the method and the path it forwards to, so a service
 * can tell them from anything that did not come through the gateway.
 */
@Component
public class IdentityHeadersFilter implements GlobalFilter, Ordered {

    private final IdentitySignature signature;

    IdentityHeadersFilter(@Value("${dealflow.gateway-secret:}") String secret,
                          @Value("${dealflow.identity-max-age:60s}") Duration maxAge) {
        this.signature = new IdentitySignature(secret, Clock.systemUTC(), maxAge);
    }

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

    private ServerWebExchange withIdentity(ServerWebExchange exchange, String subject, String scopes) {
        URI target = exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR);
        String path = target != null ? target.getRawPath() : exchange.getRequest().getURI().getRawPath();
        String method = exchange.getRequest().getMethod().name();
        return exchange.mutate().request(request -> request.headers(headers -> {
            headers.remove(IdentitySignature.SUBJECT_HEADER);
            headers.remove(IdentitySignature.SCOPES_HEADER);
            headers.remove(IdentitySignature.SIGNATURE_HEADER);
            if (subject != null) {
                headers.set(IdentitySignature.SUBJECT_HEADER, subject);
                headers.set(IdentitySignature.SCOPES_HEADER, scopes);
                headers.set(IdentitySignature.SIGNATURE_HEADER, signature.sign(method, path, subject, scopes));
            }
        })).build();
    }

    @Override
    public int getOrder() {
        return RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 1;
    }
}
