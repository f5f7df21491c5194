package io.dealflow.analytics.support;

import io.dealflow.trust.IdentitySignature;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;

/** Requests as the gateway relays them: the caller's identity, signed with the secret of application-test.yml. */
public final class GatewayHeaders {

    public static final String SECRET = "funnel-analytics-test-gateway-secret-0123456789";
    public static final String ALL_SCOPES = "deals:read deals:write analytics:read admin";
    private static final IdentitySignature SIGNATURE = new IdentitySignature(SECRET, Clock.systemUTC(), Duration.ofSeconds(60));

    private GatewayHeaders() {
    }

    /** A request to {@code uri} relayed for a caller with every scope. */
    public static HttpRequest.Builder relayed(String method, URI uri) {
        return relayed(method, uri, "tester", ALL_SCOPES);
    }

    public static HttpRequest.Builder relayed(String method, URI uri, String subject, String scopes) {
        return HttpRequest.newBuilder(uri)
                .header(IdentitySignature.SUBJECT_HEADER, subject)
                .header(IdentitySignature.SCOPES_HEADER, scopes)
                .header(IdentitySignature.SIGNATURE_HEADER, SIGNATURE.sign(method, uri.getRawPath(), subject, scopes));
    }
}
