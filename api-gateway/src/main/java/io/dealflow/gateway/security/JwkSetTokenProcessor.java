package io.dealflow.gateway.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Verifies a token's signature against the identity provider's JWK set (fetched, cached, refetched when an unknown
 * key id appears) with only the configured algorithms; the claims are left to the validators. Nimbus' key selector
 * cannot hand out Ed25519 keys, so EdDSA tokens are checked against the set's Ed25519 keys directly.
 */
class JwkSetTokenProcessor {

    private final JWKSource<SecurityContext> keys;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final boolean acceptsEdDsa;

    JwkSetTokenProcessor(String jwkSetUri, Set<JWSAlgorithm> algorithms) {
        try {
            keys = JWKSourceBuilder.create(URI.create(jwkSetUri).toURL()).retrying(true).build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalStateException("AUTH_JWK_SET_URI is not a URL: " + jwkSetUri);
        }
        Set<JWSAlgorithm> others = new LinkedHashSet<>(algorithms);
        acceptsEdDsa = others.remove(JWSAlgorithm.EdDSA);
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(others, keys));
        processor.setJWTClaimsSetVerifier((claims, context) -> { });
    }

    JWTClaimsSet process(JWT jwt) throws BadJOSEException, JOSEException, ParseException {
        if (jwt instanceof SignedJWT signed && JWSAlgorithm.EdDSA.equals(signed.getHeader().getAlgorithm())) {
            if (!acceptsEdDsa) {
                throw new BadJOSEException("EdDSA is not among the accepted algorithms");
            }
            for (JWK key : keys.get(new JWKSelector(JWKMatcher.forJWSHeader(signed.getHeader())), null)) {
                if (key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())
                        && signed.verify(new Ed25519Verifier(okp.toPublicJWK()))) {
                    return signed.getJWTClaimsSet();
                }
            }
            throw new BadJOSEException("No Ed25519 key of the provider verifies the signature");
        }
        return processor.process(jwt, null);
    }
}
