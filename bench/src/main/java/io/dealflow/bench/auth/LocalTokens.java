package io.dealflow.bench.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** Signs HS256 bearer tokens with the gateway's local shared secret. For local runs, tests and benchmarks only. */
public final class LocalTokens {

    public static final String ALL_SCOPES = "deals:read deals:write analytics:read admin";
    /** What the gateway expects of local tokens when no identity provider is configured. */
    public static final String ISSUER = "dealflow-local";
    public static final String AUDIENCE = "dealflow";

    private LocalTokens() {
    }

    public static String sign(String secret, String subject, String scopes, Duration validFor) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                    .subject(subject).claim("scope", scopes).issuer(ISSUER).audience(AUDIENCE)
                    .issueTime(new Date()).notBeforeTime(new Date())
                    .expirationTime(Date.from(Instant.now().plus(validFor))).build());
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot sign: " + e.getMessage(), e);
        }
    }
}
