package io.dealflow.analytics.ingest;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.MDC;

import java.nio.charset.StandardCharsets;

/**
 * Writes a log line about one record with the trace context of the request that caused its event (the CloudEvents
 * distributed-tracing extension, {@code ce_traceparent}) in the MDC, as request log lines carry it: a request can be
 * followed from the gateway into the projection.
 */
final class RecordTrace {

    static final String HEADER = "ce_traceparent";

    private RecordTrace() {
    }

    static void log(ConsumerRecord<?, ?> record, Runnable line) {
        Header header = record.headers().lastHeader(HEADER);
        if (header == null) {
            line.run();
            return;
        }
        MDC.put("traceparent", new String(header.value(), StandardCharsets.UTF_8));
        try {
            line.run();
        } finally {
            MDC.remove("traceparent");
        }
    }
}
