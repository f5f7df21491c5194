package io.dealflow.analytics.ingest;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A span for each record whose event carries a sampled trace ({@code ce_traceparent}): the projection of that event,
 * a child of the span of the request that caused it. It lasts from the batch's start until its transaction committed —
 * when the event became visible in the funnel. Records of unsampled traces, and without one, cost nothing here.
 */
@Singleton
class ProjectionSpans {

    private static final TextMapGetter<String> TRACEPARENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
            return "traceparent".equals(key) ? carrier : null;
        }
    };

    private final Tracer tracer;

    ProjectionSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    List<Span> start(List<ConsumerRecord<String, byte[]>> records) {
        List<Span> spans = List.of();
        for (ConsumerRecord<String, byte[]> record : records) {
            Header header = record.headers().lastHeader(RecordTrace.HEADER);
            String traceparent = header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
            if (traceparent == null || !traceparent.endsWith("-01")) {
                continue;
            }
            Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, TRACEPARENT);
            if (!Span.fromContext(parent).getSpanContext().isValid()) {
                continue;
            }
            if (spans.isEmpty()) {
                spans = new ArrayList<>();
            }
            spans.add(tracer.spanBuilder(record.topic() + " process").setParent(parent).setSpanKind(SpanKind.CONSUMER)
                    .setAttribute("messaging.system", "kafka")
                    .setAttribute("messaging.operation.type", "process")
                    .setAttribute("messaging.destination.name", record.topic())
                    .setAttribute("messaging.destination.partition.id", String.valueOf(record.partition()))
                    .setAttribute("messaging.kafka.offset", record.offset())
                    .setAttribute("messaging.kafka.message.key", record.key())
                    .setAttribute("messaging.batch.message_count", records.size())
                    .startSpan());
        }
        return spans;
    }

    void end(List<Span> spans, RuntimeException failure) {
        for (Span span : spans) {
            if (failure != null) {
                span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
            }
            span.end();
        }
    }
}
