package io.dealflow.gateway.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway against an identity provider's JWK set (a real HTTP server here): the algorithms the provider signs
 * with pass; a token without a valid signature, issuer, audience, subject, exp or nbf is refused, and so is one not yet
 * or no longer valid beyond the bounded clock skew. Every refused token is tried against a route it would otherwise
 * open.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dealflow.auth.issuer=" + JwkTokenValidationTest.ISSUER,
        "dealflow.auth.audience=" + JwkTokenValidationTest.AUDIENCE,
        "dealflow.auth.clock-skew=30s",
        "dealflow.rate-limit.enabled=false",
        "dealflow.pipeline-service-url=http://127.0.0.1:9",
        "dealflow.analytics-service-url=http://127.0.0.1:9"})
class JwkTokenValidationTest {

    static final String ISSUER = "https://idp.example.com/realms/dealflow";
    static final String AUDIENCE = "dealflow-api";
    static final RSAKey RSA = generate(() -> new RSAKeyGenerator(2048).keyID("rsa-1").generate());
    static final RSAKey OTHER_RSA = generate(() -> new RSAKeyGenerator(2048).keyID("rsa-1").generate());
    static final ECKey EC = generate(() -> new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate());
    static final OctetKeyPair ED = generate(() -> new OctetKeyPairGenerator(Curve.Ed25519).keyID("ed-1").generate());
    static final HttpServer PROVIDER = jwkSetServer();

    @DynamicPropertySource
    static void provider(DynamicPropertyRegistry registry) {
        registry.add("dealflow.auth.jwk-set-uri", () -> "http://127.0.0.1:" + PROVIDER.getAddress().getPort() + "/jwks");
    }

    @AfterAll
    static void stop() {
        PROVIDER.stop(0);
    }

    @LocalServerPort
    int port;

    @Test
    void theProvidersAlgorithmsAreAccepted() throws Exception {
        assertPasses(sign(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(RSA), valid()));
        assertPasses(sign(JWSAlgorithm.ES256, "ec-1", new ECDSASigner(EC), valid()));
        assertPasses(sign(JWSAlgorithm.EdDSA, "ed-1", new Ed25519Signer(ED), valid()));
    }

    @Test
    void unsignedAndConfusedTokensAreRefused() throws Exception {
        assertRefused(new PlainJWT(valid().build()).serialize(), "alg none");
        byte[] publicKey = RSA.toRSAPublicKey().getEncoded();
        assertRefused(sign(JWSAlgorithm.HS256, "rsa-1", new MACSigner(publicKey), valid()), "HS256 signed with the RSA public key");
        assertRefused(sign(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(OTHER_RSA), valid()), "signed by a key the provider does not have");
        assertRefused(sign(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(RSA), valid()).replaceFirst("\\.[^.]+\\.", ".e30."),
                "payload swapped after signing");
    }

    @Test
    void claimsMustBeThereAndRight() throws Exception {
        assertRefused(rs256(c -> c.issuer("https://evil.example.com")), "wrong issuer");
        assertRefused(rs256(c -> c.issuer(null)), "no issuer");
        assertRefused(rs256(c -> c.audience("another-api")), "wrong audience");
        assertRefused(rs256(c -> c.audience((String) null)), "no audience");
        assertRefused(rs256(c -> c.subject(null)), "no subject");
        assertRefused(rs256(c -> c.expirationTime(null)), "no exp");
        assertRefused(rs256(c -> c.notBeforeTime(null)), "no nbf");
    }

    @Test
    void timeIsCheckedWithABoundedSkew() throws Exception {
        Instant now = Instant.now();
        assertRefused(rs256(c -> c.notBeforeTime(Date.from(now.plusSeconds(120)))), "nbf two minutes ahead");
        assertRefused(rs256(c -> c.issueTime(Date.from(now.minusSeconds(600))).expirationTime(Date.from(now.minusSeconds(120)))),
                "expired two minutes ago");
        assertPasses(rs256(c -> c.notBeforeTime(Date.from(now.plusSeconds(10)))));
        assertPasses(rs256(c -> c.issueTime(Date.from(now.minusSeconds(60))).expirationTime(Date.from(now.minusSeconds(10)))));
    }

    @Test
    void aJwkSetWithoutIssuerAndAudienceDoesNotStart() {
        JwtDecoderConfig config = new JwtDecoderConfig();
        String jwks = "http://127.0.0.1:" + PROVIDER.getAddress().getPort() + "/jwks";
        assertThrows(IllegalStateException.class, () -> config.jwtDecoder(properties(jwks, null, AUDIENCE, "30s", List.of("RS256"))));
        assertThrows(IllegalStateException.class, () -> config.jwtDecoder(properties(jwks, ISSUER, "", "30s", List.of("RS256"))));
        assertThrows(IllegalStateException.class, () -> config.jwtDecoder(properties(jwks, ISSUER, AUDIENCE, "10m", List.of("RS256"))),
                "a clock skew over five minutes");
        assertThrows(IllegalStateException.class, () -> config.jwtDecoder(properties(jwks, ISSUER, AUDIENCE, "30s", List.of("HS256"))),
                "a symmetric algorithm with a JWK set");
    }

    private static GatewayAuthProperties properties(String jwks, String issuer, String audience, String skew, List<String> algorithms) {
        return new GatewayAuthProperties(jwks, issuer, audience, null, List.of(), algorithms,
                org.springframework.boot.convert.DurationStyle.detectAndParse(skew), true, Duration.ofSeconds(60), 10_000);
    }

    private static JWTClaimsSet.Builder valid() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject("alice").issuer(ISSUER).audience(AUDIENCE).claim("scope", "deals:read")
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now.minusSeconds(1))).expirationTime(Date.from(now.plusSeconds(600)));
    }

    private static String rs256(Consumer<JWTClaimsSet.Builder> change) throws JOSEException {
        JWTClaimsSet.Builder claims = valid();
        change.accept(claims);
        return sign(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(RSA), claims);
    }

    private static String sign(JWSAlgorithm algorithm, String keyId, JWSSigner signer, JWTClaimsSet.Builder claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId).build(), claims.build());
        jwt.sign(signer);
        return jwt.serialize();
    }

    private void assertPasses(String token) throws Exception {
        // a downstream that is down answers 503: the token itself was accepted
        HttpResponse<String> response = get(token);
        assertEquals(503, response.statusCode(), response.body());
    }

    private void assertRefused(String token, String why) throws Exception {
        HttpResponse<String> response = get(token);
        assertEquals(401, response.statusCode(), why + ": " + response.body());
        assertTrue(response.body().contains("https://dealflow.io/problems/unauthorized"), why + ": " + response.body());
    }

    private HttpResponse<String> get(String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/deals"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    interface KeySupplier<T> {
        T get() throws JOSEException;
    }

    private static <T> T generate(KeySupplier<T> supplier) {
        try {
            return supplier.get();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpServer jwkSetServer() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] body = new JWKSet(List.of(RSA.toPublicJWK(), EC.toPublicJWK(), ED.toPublicJWK())).toString(true)
                    .getBytes(StandardCharsets.UTF_8);
            server.createContext("/jwks", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
