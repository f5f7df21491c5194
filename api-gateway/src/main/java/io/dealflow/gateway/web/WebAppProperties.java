package io.dealflow.gateway.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How the web app signs people in: through the identity provider (authorization code with PKCE, a public client), or —
 * for a local run only, and only with the local HS256 secret — a local sign-in that names the user and the role.
 */
@ConfigurationProperties("dealflow.web")
public record WebAppProperties(@DefaultValue("false") boolean localSignIn,
                               @DefaultValue("8h") Duration localTokenLifetime,
                               String authorizationEndpoint,
                               String tokenEndpoint,
                               String clientId,
                               @DefaultValue("openid deals:read deals:write analytics:read") String scope) {

    boolean usesIdentityProvider() {
        return authorizationEndpoint != null && !authorizationEndpoint.isBlank()
                && tokenEndpoint != null && !tokenEndpoint.isBlank() && clientId != null && !clientId.isBlank();
    }
}
