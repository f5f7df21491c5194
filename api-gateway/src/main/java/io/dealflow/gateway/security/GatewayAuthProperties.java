package io.dealflow.gateway.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * How bearer tokens are checked: against a real identity provider's JWK set (issuer and audience then required), or,
 * for local use, a shared HS256 secret. One of the two must be set. Every token needs {@code exp}, and {@code nbf}
 * unless {@code requireNotBefore} is off (for providers that never set it); both are checked with at most
 * {@code clockSkew} of tolerance. A token's verified signature is reused for {@code verifiedTokenTtl} (0: never), for
 * at most {@code verifiedTokens} tokens at once (see {@link VerifiedTokens}).
 */
@ConfigurationProperties("dealflow.auth")
public record GatewayAuthProperties(String jwkSetUri, String issuer, String audience, String hs256Secret,
                                    List<String> corsAllowedOrigins,
                                    @DefaultValue("RS256,ES256,EdDSA") List<String> jwsAlgorithms,
                                    @DefaultValue("30s") Duration clockSkew,
                                    @DefaultValue("true") boolean requireNotBefore,
                                    @DefaultValue("60s") Duration verifiedTokenTtl,
                                    @DefaultValue("10000") long verifiedTokens) {

    static final String LOCAL_ISSUER = "dealflow-local";
    static final String LOCAL_AUDIENCE = "dealflow";
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    public boolean usesJwkSet() {
        return jwkSetUri != null && !jwkSetUri.isBlank();
    }

    public String expectedIssuer() {
        return issuer == null || issuer.isBlank() ? (usesJwkSet() ? null : LOCAL_ISSUER) : issuer;
    }

    public String expectedAudience() {
        return audience == null || audience.isBlank() ? (usesJwkSet() ? null : LOCAL_AUDIENCE) : audience;
    }
}
