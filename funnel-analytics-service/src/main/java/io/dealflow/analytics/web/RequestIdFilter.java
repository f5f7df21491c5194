package io.dealflow.analytics.web;

import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The gateway's request id and traceparent in the logging MDC while a request is handled (so every line it logs, text
 * or JSON, carries them), one access-log line per API request, and the id echoed back.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RequestIdFilter {

    private static final Logger access = LoggerFactory.getLogger("access");
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    @RequestFilter
    public void intoMdc(HttpRequest<?> request, MutablePropagatedContext context) {
        Map<String, String> values = new HashMap<>();
        String requestId = request.getHeaders().get("X-Request-Id");
        if (requestId != null && SAFE.matcher(requestId).matches()) {
            values.put("requestId", requestId);
        }
        String traceparent = request.getHeaders().get("traceparent");
        if (traceparent != null && traceparent.length() <= 55) {
            values.put("traceparent", traceparent);
        }
        if (!values.isEmpty()) {
            context.add(new RequestMdc(values));
        }
    }

    @ResponseFilter
    public void log(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String requestId = request.getHeaders().get("X-Request-Id");
        if (requestId != null && SAFE.matcher(requestId).matches()) {
            response.header("X-Request-Id", requestId);
        } else {
            requestId = "-";
        }
        String path = request.getPath();
        if (!path.startsWith("/health") && !path.startsWith("/prometheus")) {
            String traceparent = request.getHeaders().get("traceparent");
            access.info("{} {} {} req={} trace={}", request.getMethodName(), path, response.code(), requestId,
                    traceparent == null || traceparent.length() > 55 ? "-" : traceparent);
        }
    }
}
