package io.dealflow.pipeline.web;

import io.dealflow.pipeline.support.Api;
import io.dealflow.pipeline.support.IntegrationTest;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A command's request is recorded as an OpenTelemetry span in the caller's trace (the gateway's traceparent), handed
 * to the configured exporters — here an in-memory one standing in for OTLP.
 */
// Spring Boot's tests switch tracing off unless asked
@AutoConfigureObservability(metrics = false)
@TestPropertySource(properties = "management.tracing.sampling.probability=1.0")
@Import(RequestTracingTest.Exporter.class)
// a context of its own that no other test shares: closed afterwards rather than cached
@DirtiesContext
class RequestTracingTest extends IntegrationTest {

    @TestConfiguration
    static class Exporter {
        @Bean
        InMemorySpanExporter inMemorySpanExporter() {
            return InMemorySpanExporter.create();
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    InMemorySpanExporter exported;
    @Autowired
    SdkTracerProvider tracerProvider;

    @Test
    void aCommandsRequestIsASpanOfTheCallersTrace() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String parentSpan = "00f067aa0ba902b7";
        Api.Reply created = new Api(port).call("POST", "/api/v1/deals",
                "{\"title\": \"Traced\", \"amount\": {\"value\": \"1\", \"currency\": \"EUR\"}}", "traceparent", "00-" + traceId + "-" + parentSpan + "-01");
        assertEquals(201, created.status(), String.valueOf(created.body()));

        tracerProvider.forceFlush().join(10, TimeUnit.SECONDS);
        List<SpanData> spans = exported.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
        assertTrue(spans.stream().anyMatch(s -> s.getParentSpanId().equals(parentSpan) && s.getName().contains("post")),
                "a server span for the POST, child of the caller's span: " + spans);
    }
}
