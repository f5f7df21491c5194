package io.dealflow.gateway.security;

import io.dealflow.gateway.routes.ApiRoute;
import io.dealflow.gateway.routes.RouteTable;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import reactor.core.publisher.Mono;

import java.util.Optional;

/**
 * Deny by default: a request is allowed only when the route table has a row for its method and path, and the row is
 * public or the caller's token carries the row's scope.
 */
class RouteTableAuthorization implements ReactiveAuthorizationManager<AuthorizationContext> {

    private final RouteTable table;

    RouteTableAuthorization(RouteTable table) {
        this.table = table;
    }

    @Override
    public Mono<AuthorizationDecision> check(Mono<Authentication> authentication, AuthorizationContext context) {
        Optional<ApiRoute> route = table.resolve(context.getExchange());
        if (route.isEmpty()) {
            return Mono.just(new AuthorizationDecision(false));
        }
        if (route.get().isPublic()) {
            return Mono.just(new AuthorizationDecision(true));
        }
        String authority = "SCOPE_" + route.get().scope().value();
        return authentication
                .filter(Authentication::isAuthenticated)
                .map(auth -> new AuthorizationDecision(auth.getAuthorities().stream().anyMatch(a -> authority.equals(a.getAuthority()))))
                .defaultIfEmpty(new AuthorizationDecision(false));
    }
}
