package io.dealflow.pipeline.tracing;

import org.axonframework.messaging.MetaData;
import org.slf4j.MDC;

import java.util.regex.Pattern;

/**
 * The W3C trace context (traceparent) of the request a command came from. It is kept in the metadata of the events the
 * command causes, stored with them, and published with them as the CloudEvents distributed-tracing extension, so a
 * request can be followed from the gateway through the store and Kafka into the projection.
 */
public final class RequestTrace {

    public static final String HEADER = "traceparent";
    public static final String METADATA_KEY = "traceparent";
    /** Where the request filter keeps the current request's traceparent. */
    public static final String MDC_KEY = "traceparent";
    /** A W3C trace context of version 00: only such a value is kept and published (the event contract's pattern). */
    private static final Pattern W3C = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    private RequestTrace() {
    }

    public static boolean isWellFormed(String traceparent) {
        return traceparent != null && W3C.matcher(traceparent).matches();
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
