package io.dealflow.pipeline.access;

import io.dealflow.pipeline.web.Problem;
import io.dealflow.pipeline.web.ProblemException;
import io.dealflow.trust.IdentitySignature;
import io.dealflow.trust.RelayedIdentity;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * The second check, after the gateway's: every API request must carry the identity the gateway signed for this very
 * method and path (else 401), and an operation is allowed only when it names its scope with {@link RequiresScope} and
 * the identity holds that scope (else 403). An operation that names no scope is refused to everybody.
 */
class GatewayIdentityInterceptor implements HandlerInterceptor {

    private final IdentitySignature signature;

    GatewayIdentityInterceptor(IdentitySignature signature) {
        this.signature = signature;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        RelayedIdentity identity = signature.verify(request.getMethod(), request.getRequestURI(),
                        request.getHeader(IdentitySignature.SUBJECT_HEADER), request.getHeader(IdentitySignature.SCOPES_HEADER),
                        request.getHeader(IdentitySignature.SIGNATURE_HEADER))
                .orElseThrow(() -> new ProblemException(Problem.NOT_VIA_GATEWAY,
                        "This service answers only requests relayed by the DealFlow gateway; call the gateway with a bearer token"));
        if (handler instanceof HandlerMethod method) {
            RequiresScope required = method.getMethodAnnotation(RequiresScope.class);
            if (required == null || !identity.has(required.value())) {
                throw new ProblemException(Problem.FORBIDDEN, required == null ? "This operation is not open to any caller"
                        : "This call needs the '" + required.value().value() + "' scope");
            }
        }
        return true;
    }
}
