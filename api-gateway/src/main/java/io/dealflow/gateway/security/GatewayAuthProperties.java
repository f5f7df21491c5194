package io.dealflow.gateway.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;

/**
 * How bearer tokens are checked: against a real identity provider's JWK set (and issuer), or, for local use,
 * a shared HS256 secret. One of the two must be set.
 */
@ConfigurationProperties("dealflow.auth")
public record GatewayAuthProperties(String jwkSetUri, String issuer, String audience, String hs256Secret,
                                    List<String> corsAllowedOrigins) {
}
