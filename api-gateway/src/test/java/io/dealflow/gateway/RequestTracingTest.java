package io.dealflow.gateway;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request through the gateway is a server span in the caller's trace; the service receives that span as its parent
 * and the caller gets it back. The spans go to
 * the configured exporters — here an in-memory one standing in for OTLP.
 */
// Spring Boot's tests switch tracing off unless asked
@AutoConfigureObservability(metrics = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dealflow.auth.hs256-secret=" + Tokens.SECRET,
        "dealflow.rate-limit.enabled=false",
        "management.tracing.sampling.probability=0.0"})
@Import(RequestTracingTest.Exporter.class)
// a context of its own that no other test shares: closed afterwards rather than cached
@DirtiesContext
class RequestTracingTest extends StandInDownstreams {

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

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET()
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + Tokens.token("tracer", "deals:read"));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The trace's finished spans: the server span ends just after the answer was written, so it is waited for. */
    private List<SpanData> spansOf(String traceId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<SpanData> spans = List.of();
        while (spans.isEmpty() && System.nanoTime() < deadline) {
            tracerProvider.forceFlush().join(10, TimeUnit.SECONDS);
            spans = exported.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
            Thread.sleep(20);
        }
        return spans;
    }

    @Test
    void aSampledCallersRequestIsAGatewaySpanInItsTraceAndTheServicesParent() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String callersSpan = "00f067aa0ba902b7";
        PIPELINE.received.clear();
        HttpResponse<String> answered = get("/api/v1/deals", "traceparent", "00-" + traceId + "-" + callersSpan + "-01");
        assertEquals(200, answered.statusCode(), answered.body());

        List<SpanData> spans = spansOf(traceId);
        SpanData server = spans.stream().filter(s -> s.getKind() == SpanKind.SERVER && s.getParentSpanId().equals(callersSpan))
                .findFirst().orElseThrow(() -> new AssertionError("a server span, child of the caller's span: " + spans));

        assertEquals(List.of("00-" + traceId + "-" + server.getSpanId() + "-01"), PIPELINE.received.get(0).headers().get("Traceparent"),
                "the service's parent is the gateway's span");
        assertEquals("00-" + traceId + "-" + server.getSpanId() + "-01", answered.headers().firstValue("traceparent").orElseThrow(),
                "the caller gets the gateway's span of its request back");
    }

    @Test
    void aTraceTheGatewayStartsIsNotRecordedAtProbabilityZeroButStillPropagated() throws Exception {
        PIPELINE.received.clear();
        exported.reset();
        HttpResponse<String> answered = get("/api/v1/deals");
        assertEquals(200, answered.statusCode(), answered.body());
        String traceparent = answered.headers().firstValue("traceparent").orElseThrow();
        assertTrue(traceparent.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00"), traceparent);
        String traceId = traceparent.split("-")[1];
        List<String> received = PIPELINE.received.get(0).headers().get("Traceparent");
        assertTrue(received != null && received.size() == 1 && received.get(0).matches("00-" + traceId + "-[0-9a-f]{16}-00"),
                "the service gets the same trace, not sampled: " + received);

        assertTrue(spansOf(traceId).isEmpty(), "nothing recorded");
    }
}
