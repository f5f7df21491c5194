package io.dealflow.analytics.access;

import io.dealflow.trust.IdentitySignature;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;

/** The secret shared with the gateway: checks the identity it relays, and signs this service's own calls to pipeline-service. */
@Factory
class GatewayTrust {

    @Singleton
    IdentitySignature identitySignature(@Value("${dealflow.gateway-secret:}") String secret,
                                        @Value("${dealflow.identity-max-age:60s}") Duration maxAge) {
        return new IdentitySignature(secret, Clock.systemUTC(), maxAge);
    }
}
