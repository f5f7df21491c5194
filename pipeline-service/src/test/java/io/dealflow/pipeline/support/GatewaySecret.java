package io.dealflow.pipeline.support;

import io.dealflow.trust.IdentitySignature;

import java.time.Clock;
import java.time.Duration;

/** The secret the tests share with the service under test, standing in for the gateway's. */
public final class GatewaySecret {

    public static final String VALUE = "pipeline-service-test-gateway-secret-0123456789";
    public static final IdentitySignature SIGNATURE = new IdentitySignature(VALUE, Clock.systemUTC(), Duration.ofSeconds(60));

    private GatewaySecret() {
    }
}
