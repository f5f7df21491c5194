package io.dealflow.analytics.access;

import io.dealflow.analytics.web.Problems;
import io.dealflow.trust.IdentitySignature;
import io.dealflow.trust.RelayedIdentity;
import io.dealflow.trust.Scope;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.RouteInfo;

import java.util.Optional;

/**
 * The second check, after the gateway's: every API request must carry the identity the gateway signed for this very
 * method and path (else 401), and an operation is allowed only when it names its scope with {@link RequiresScope} and
 * the identity holds that scope (else 403). An operation that names no scope is refused to everybody.
 */
@ServerFilter("/api/**")
public class GatewayIdentityFilter {

    private final IdentitySignature signature;

    GatewayIdentityFilter(IdentitySignature signature) {
        this.signature = signature;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> check(HttpRequest<?> request) {
        HttpHeaders headers = request.getHeaders();
        Optional<RelayedIdentity> identity = signature.verify(request.getMethodName(), request.getUri().getRawPath(),
                headers.get(IdentitySignature.SUBJECT_HEADER), headers.get(IdentitySignature.SCOPES_HEADER),
                headers.get(IdentitySignature.SIGNATURE_HEADER));
        if (identity.isEmpty()) {
            return Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized",
                    "This service answers only requests relayed by the DealFlow gateway; call the gateway with a bearer token");
        }
        Optional<RouteInfo<?>> route = RouteAttributes.getRouteInfo(request);
        if (route.isEmpty()) {
            return null;
        }
        Optional<Scope> required = route.get().getAnnotationMetadata().enumValue(RequiresScope.class, Scope.class);
        if (required.isEmpty()) {
            return Problems.of(HttpStatus.FORBIDDEN, "forbidden", "This operation is not open to any caller");
        }
        if (!identity.get().has(required.get())) {
            return Problems.of(HttpStatus.FORBIDDEN, "forbidden", "This call needs the '" + required.get().value() + "' scope");
        }
        return null;
    }
}
