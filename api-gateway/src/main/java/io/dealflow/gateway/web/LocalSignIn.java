package io.dealflow.gateway.web;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Local sign-in: a token signed with the gateway's local HS256 secret for a name and a role, so a local run needs no
 * identity provider and nobody copies tokens. A seller works the pipeline and reads the funnel; a sales leader may
 * also import history and run the administrative calls.
 */
final class LocalSignIn {

    static final Map<String, String> SCOPES_BY_ROLE = Map.of(
            "seller", "deals:read deals:write analytics:read",
            "leader", "deals:read deals:write analytics:read admin");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    record Request(String name, String role) {
    }

    record Token(String accessToken, String tokenType, long expiresIn, String subject, String scope) {
    }

    private final byte[] secret;
    private final String issuer;
    private final String audience;
    private final Duration lifetime;
    private final Clock clock;

    LocalSignIn(String secret, String issuer, String audience, Duration lifetime, Clock clock) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.issuer = issuer;
        this.audience = audience;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** Why the request cannot be signed in, or null when it can. */
    static String refusal(Request request) {
        if (request == null || request.name() == null || !NAME.matcher(request.name()).matches()) {
            return "name must be 1–64 letters, digits or . _ @ -";
        }
        if (request.role() == null || !SCOPES_BY_ROLE.containsKey(request.role())) {
            return "role must be one of " + SCOPES_BY_ROLE.keySet().stream().sorted().toList();
        }
        return null;
    }

    Token signIn(Request request) {
        String scope = SCOPES_BY_ROLE.get(request.role());
        Instant now = clock.instant();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                    .subject(request.name()).claim("scope", scope).issuer(issuer).audience(audience)
                    .issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                    .expirationTime(Date.from(now.plus(lifetime))).build());
            jwt.sign(new MACSigner(secret));
            return new Token(jwt.serialize(), "Bearer", lifetime.toSeconds(), request.name(), scope);
        } catch (JOSEException e) {
            throw new IllegalStateException("The local HS256 secret cannot sign", e);
        }
    }
}
