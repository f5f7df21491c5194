package io.dealflow.gateway.security;

import com.nimbusds.jose.JWSAlgorithm;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Bearer token checks. With a JWK set only the configured asymmetric algorithms are accepted (so an HMAC token signed
 * with a public key, or an unsigned one, is refused); with the local secret only HS256. Every token must name the
 * expected issuer and audience and carry {@code exp} (and {@code nbf}), checked with a bounded clock skew.
 */
@Configuration
class JwtDecoderConfig {

    @Bean
    ReactiveJwtDecoder jwtDecoder(GatewayAuthProperties auth) {
        NimbusReactiveJwtDecoder decoder;
        if (auth.usesJwkSet()) {
            if (auth.expectedIssuer() == null || auth.expectedAudience() == null) {
                throw new IllegalStateException("With AUTH_JWK_SET_URI, set AUTH_ISSUER and AUTH_AUDIENCE to the identity provider's values");
            }
            decoder = jwkSetDecoder(auth.jwkSetUri(), algorithms(auth.jwsAlgorithms()));
        } else if (auth.hs256Secret() != null && auth.hs256Secret().length() >= 32) {
            decoder = NimbusReactiveJwtDecoder.withSecretKey(new SecretKeySpec(auth.hs256Secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
                    .macAlgorithm(MacAlgorithm.HS256).build();
        } else {
            throw new IllegalStateException("Set AUTH_JWK_SET_URI (identity provider) or AUTH_HS256_SECRET (at least 32 characters, local use)");
        }
        if (auth.clockSkew().isNegative() || auth.clockSkew().compareTo(GatewayAuthProperties.MAX_CLOCK_SKEW) > 0) {
            throw new IllegalStateException("AUTH_CLOCK_SKEW must be between 0 and " + GatewayAuthProperties.MAX_CLOCK_SKEW);
        }
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(required("exp", jwt -> jwt.getExpiresAt() != null));
        validators.add(required("sub", jwt -> jwt.getSubject() != null && !jwt.getSubject().isBlank()));
        if (auth.requireNotBefore()) {
            validators.add(required("nbf", jwt -> jwt.getNotBefore() != null));
        }
        validators.add(new JwtTimestampValidator(auth.clockSkew()));
        validators.add(new JwtIssuerValidator(auth.expectedIssuer()));
        String audience = auth.expectedAudience();
        validators.add(required("aud", jwt -> jwt.getAudience() != null && jwt.getAudience().contains(audience)));
        OAuth2TokenValidator<Jwt> validator = new DelegatingOAuth2TokenValidator<>(validators);
        decoder.setJwtValidator(validator);
        if (auth.verifiedTokenTtl().isZero()) {
            return decoder;
        }
        return new VerifiedTokens(decoder, validator, auth.verifiedTokenTtl(), auth.verifiedTokens());
    }

    private static NimbusReactiveJwtDecoder jwkSetDecoder(String jwkSetUri, Set<JWSAlgorithm> algorithms) {
        JwkSetTokenProcessor processor = new JwkSetTokenProcessor(jwkSetUri, algorithms);
        return new NimbusReactiveJwtDecoder(jwt -> Mono.fromCallable(() -> processor.process(jwt))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(e -> !(e instanceof JwtException), e -> new BadJwtException("The token could not be verified", e)));
    }

    private static Set<JWSAlgorithm> algorithms(List<String> names) {
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        for (String name : names) {
            JWSAlgorithm algorithm = JWSAlgorithm.parse(name.trim());
            if (!JWSAlgorithm.Family.RSA.contains(algorithm) && !JWSAlgorithm.Family.EC.contains(algorithm)
                    && !JWSAlgorithm.Family.ED.contains(algorithm)) {
                throw new IllegalStateException("AUTH_JWS_ALGORITHMS takes asymmetric algorithms only (RS*, PS*, ES*, EdDSA), not " + name);
            }
            algorithms.add(algorithm);
        }
        return algorithms;
    }

    private static OAuth2TokenValidator<Jwt> required(String claim, java.util.function.Predicate<Jwt> check) {
        OAuth2Error error = new OAuth2Error("invalid_token", "The token's '" + claim + "' claim is missing or wrong", null);
        return jwt -> check.test(jwt) ? OAuth2TokenValidatorResult.success() : OAuth2TokenValidatorResult.failure(error);
    }
}
