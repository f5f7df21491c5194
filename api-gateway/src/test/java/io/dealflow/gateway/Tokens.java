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

/** Signs test tokens the way the local run does (HS256 with the shared secret, issuer dealflow-local, audience dealflow). */
final class Tokens {

    static final String SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789";
    static final String ISSUER = "dealflow-local";
    static final String AUDIENCE = "dealflow";

    private Tokens() {
    }

    static String token(String subject, String scopes) {
        return sign(SECRET, subject, scopes, Instant.now().plus(Duration.ofMinutes(10)));
    }

    static String sign(String secret, String subject, String scopes, Instant expires) {
        return sign(secret, claims(subject, scopes, expires).build());
    }

    static JWTClaimsSet.Builder claims(String subject, String scopes, Instant expires) {
        return new JWTClaimsSet.Builder().subject(subject).claim("scope", scopes).issuer(ISSUER).audience(AUDIENCE)
                .issueTime(new Date()).notBeforeTime(Date.from(Instant.now().minusSeconds(1))).expirationTime(Date.from(expires));
    }

    static String sign(String secret, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
