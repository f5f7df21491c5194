package io.dealflow.gateway;

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

/** Signs test tokens the way a local identity provider would (HS256 with the shared secret). */
final class Tokens {

    static final String SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789";

    private Tokens() {
    }

    static String token(String subject, String scopes) {
        return sign(SECRET, subject, scopes, Instant.now().plus(Duration.ofMinutes(10)));
    }

    static String sign(String secret, String subject, String scopes, Instant expires) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                    .subject(subject).claim("scope", scopes).issueTime(new Date())
                    .expirationTime(Date.from(expires)).build());
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
