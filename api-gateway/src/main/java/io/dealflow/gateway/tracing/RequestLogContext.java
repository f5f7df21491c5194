package io.dealflow.gateway.tracing;

import org.slf4j.MDC;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Writes a log line about one request with its request id and traceparent in the MDC, as the services' lines carry
 * them. The gateway's event-loop threads serve many requests in turn, so the values are set for that line only.
 */
public final class RequestLogContext {

    private RequestLogContext() {
    }

    public static void log(ServerWebExchange exchange, Runnable line) {
        HttpHeaders headers = exchange.getResponse().getHeaders();
        String requestId = headers.getFirst(RequestIdFilter.REQUEST_ID);
        String traceparent = headers.getFirst(RequestIdFilter.TRACEPARENT);
        if (requestId != null) {
            MDC.put("requestId", requestId);
        }
        if (traceparent != null) {
            MDC.put("traceparent", traceparent);
        }
        try {
            line.run();
        } finally {
            MDC.remove("requestId");
            MDC.remove("traceparent");
        }
    }
}
