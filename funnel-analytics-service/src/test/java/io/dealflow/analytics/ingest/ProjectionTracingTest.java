package io.dealflow.analytics.ingest;

import io.dealflow.analytics.support.AnalyticsTest;
import io.dealflow.analytics.support.EventWriter;
import io.dealflow.events.v1.DealCreated;
import io.dealflow.events.v1.EventTypes;
import io.dealflow.events.v1.Money;
import io.dealflow.events.v1.PipelineDefined;
import io.dealflow.events.v1.StageInfo;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The projection of an event whose request was sampled is a span in that request's trace, a child of the span that
 * caused the event; an event of an unsampled trace records nothing. Spans go to the configured exporters — here an
 * in-memory one standing in for OTLP.
 */
@MicronautTest
class ProjectionTracingTest extends AnalyticsTest {

    @Factory
    @Requires(property = "test.span-exporter", value = "in-memory")
    static class Exporter {
        @Singleton
        InMemorySpanExporter inMemorySpanExporter() {
            return InMemorySpanExporter.create();
        }
    }

    @Inject
    InMemorySpanExporter exported;
    @Inject
    SdkTracerProvider tracerProvider;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new java.util.HashMap<>(super.getProperties());
        properties.put("test.span-exporter", "in-memory");
        return properties;
    }

    @Test
    void aSampledEventsProjectionIsASpanOfTheRequestsTrace() throws Exception {
        String pipeline = "traced-" + UUID.randomUUID();
        String sampledDeal = UUID.randomUUID().toString();
        String unsampledDeal = UUID.randomUUID().toString();
        // fresh trace ids: every test's events are on the one topic this service reads
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String requestSpan = "b7ad6b7169203331";
        String unsampledTraceId = UUID.randomUUID().toString().replace("-", "");
        Instant now = Instant.parse("2026-11-01T10:00:00Z");
        StageInfo lead = new StageInfo("lead", "Lead", 0, 10, "AWARENESS");
        try (EventWriter writer = new EventWriter()) {
            writer.send(EventTypes.PIPELINE_DEFINED, pipeline, 0, now, new PipelineDefined(pipeline, "Traced", List.of(
                    new PipelineDefined.PipelineStage("lead", "Lead", 0, 10, "AWARENESS", null)), List.of(), now, "system"));
            writer.sendTraced("00-" + traceId + "-" + requestSpan + "-01", EventTypes.DEAL_CREATED, sampledDeal, 0, now,
                    new DealCreated(sampledDeal, pipeline, "Sampled", new Money("5.00", "EUR"), null, null, null, null, null, lead, now, "u"));
            writer.sendTraced("00-" + unsampledTraceId + "-" + requestSpan + "-00", EventTypes.DEAL_CREATED, unsampledDeal, 0, now,
                    new DealCreated(unsampledDeal, pipeline, "Unsampled", new Money("5.00", "EUR"), null, null, null, null, null, lead, now, "u"));
        }
        await("/api/v1/funnel?pipelineId=" + pipeline, r -> r.status() == 200 && r.body().get("totals").get("deals").asLong() == 2);

        tracerProvider.forceFlush().join(10, TimeUnit.SECONDS);
        List<SpanData> spans = exported.getFinishedSpanItems();
        List<SpanData> ofTheRequest = spans.stream().filter(s -> s.getTraceId().equals(traceId)).toList();
        assertEquals(1, ofTheRequest.size(), "one span for the one sampled event: " + ofTheRequest);
        SpanData projected = ofTheRequest.get(0);
        assertEquals(requestSpan, projected.getParentSpanId(), "a child of the request's span");
        assertEquals(SpanKind.CONSUMER, projected.getKind());
        assertEquals(sampledDeal, projected.getAttributes().get(AttributeKey.stringKey("messaging.kafka.message.key")));
        assertEquals(EventTypes.TOPIC, projected.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")));
        assertEquals("funnel-analytics-service", projected.getResource().getAttribute(AttributeKey.stringKey("service.name")));
        assertTrue(spans.stream().noneMatch(s -> s.getTraceId().equals(unsampledTraceId)), "nothing recorded for an unsampled trace");
    }
}
