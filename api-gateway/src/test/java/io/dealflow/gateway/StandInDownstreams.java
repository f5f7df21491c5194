package io.dealflow.gateway;

import org.junit.jupiter.api.AfterAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A gateway test against two real HTTP servers standing in for pipeline-service and funnel-analytics-service. */
abstract class StandInDownstreams {

    static final FakeDownstream PIPELINE = FakeDownstream.named("pipeline-service");
    static final FakeDownstream ANALYTICS = FakeDownstream.named("funnel-analytics-service");

    @DynamicPropertySource
    static void downstreams(DynamicPropertyRegistry registry) {
        registry.add("dealflow.pipeline-service-url", PIPELINE::url);
        registry.add("dealflow.analytics-service-url", ANALYTICS::url);
    }
}
