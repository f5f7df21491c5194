package io.dealflow.analytics.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.regex.Pattern;

/** One access-log line per API request with the gateway's request id and traceparent; the id is echoed back. */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RequestIdFilter {

    private static final Logger access = LoggerFactory.getLogger("access");
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

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
