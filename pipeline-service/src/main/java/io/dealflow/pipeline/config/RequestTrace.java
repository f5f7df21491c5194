package io.dealflow.pipeline.config;

import org.axonframework.messaging.MetaData;
import org.slf4j.MDC;

/**
 * The W3C trace context (traceparent) of the request a command came from. It is kept in the metadata of the events the
 * command causes, stored with them, and published with them as the CloudEvents distributed-tracing extension, so a
 * request can be followed from the gateway through the store and Kafka into the projection.
 */
public final class RequestTrace {

    public static final String METADATA_KEY = "traceparent";
    /** Where the request filter keeps the current request's traceparent. */
    static final String MDC_KEY = "traceparent";

    private RequestTrace() {
    }

    /** The metadata with the current request's traceparent added, when there is a request with one. */
    public static MetaData with(MetaData metaData) {
        String traceparent = MDC.get(MDC_KEY);
        return traceparent == null ? metaData : metaData.and(METADATA_KEY, traceparent);
    }

    /** The traceparent an event was caused under, or null (events of imports and of the system itself have none). */
    public static String from(MetaData metaData) {
        Object traceparent = metaData.get(METADATA_KEY);
        return traceparent == null ? null : traceparent.toString();
    }
}
