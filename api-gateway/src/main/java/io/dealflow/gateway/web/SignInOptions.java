package io.dealflow.gateway.web;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What the web app reads at start to offer the right sign-in; {@code method} is {@code oidc}, {@code local} or {@code none}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record SignInOptions(String method, String authorizationEndpoint, String tokenEndpoint, String clientId, String scope) {

    static SignInOptions of(WebAppProperties web, boolean localSignInAvailable) {
        if (web.usesIdentityProvider()) {
            return new SignInOptions("oidc", web.authorizationEndpoint(), web.tokenEndpoint(), web.clientId(), web.scope());
        }
        return new SignInOptions(localSignInAvailable ? "local" : "none", null, null, null, null);
    }
}
