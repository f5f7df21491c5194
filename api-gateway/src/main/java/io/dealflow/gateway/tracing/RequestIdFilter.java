package io.dealflow.gateway.tracing;

import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.handler.TracingObservationHandler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Every request gets an X-Request-Id and a W3C traceparent; both go to the services and back in the response (also on
 * errors answered by the gateway itself). The request id is the caller's when well-formed. The traceparent is that of
 * the gateway's own span for the request (Micrometer Tracing: a child of the caller's traceparent, or a new trace
 * sampled for {@code management.tracing.sampling.probability} of the requests), and the services' spans are its
 * children. (Spring Cloud Gateway's client span per proxied call is left off: it cost more CPU than the proxying.) With
 * tracing switched off ({@code management.tracing.enabled=false}) the caller's well-formed traceparent is passed on,
 * or one is made with the same sampling share.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIdFilter implements WebFilter {

    public static final String REQUEST_ID = "X-Request-Id";
    public static final String TRACEPARENT = "traceparent";
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern W3C = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final boolean tracing;
    private final double samplingProbability;

    RequestIdFilter(@Value("${management.tracing.enabled:true}") boolean tracing,
                    @Value("${management.tracing.sampling.probability}") double samplingProbability) {
        this.tracing = tracing;
        this.samplingProbability = samplingProbability;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String requestId = valid(request.getHeaders().getFirst(REQUEST_ID), SAFE_ID) ? request.getHeaders().getFirst(REQUEST_ID)
                : UUID.randomUUID().toString();
        String traceparent = traceparent(exchange);
        exchange.getResponse().getHeaders().set(REQUEST_ID, requestId);
        exchange.getResponse().getHeaders().set(TRACEPARENT, traceparent);
        return chain.filter(exchange.mutate().request(r -> r.headers(h -> {
            h.set(REQUEST_ID, requestId);
            h.set(TRACEPARENT, traceparent);
        })).build());
    }

    private String traceparent(ServerWebExchange exchange) {
        TraceContext span = !tracing ? null : ServerRequestObservationContext.findCurrent(exchange.getAttributes())
                .map(context -> context.<TracingObservationHandler.TracingContext>get(TracingObservationHandler.TracingContext.class))
                .map(TracingObservationHandler.TracingContext::getSpan)
                .map(io.micrometer.tracing.Span::context)
                .orElse(null);
        if (span != null) {
            return "00-" + span.traceId() + "-" + span.spanId() + (Boolean.TRUE.equals(span.sampled()) ? "-01" : "-00");
        }
        String given = exchange.getRequest().getHeaders().getFirst(TRACEPARENT);
        return valid(given, W3C) ? given
                : "00-" + hex(16) + "-" + hex(8) + (ThreadLocalRandom.current().nextDouble() < samplingProbability ? "-01" : "-00");
    }

    private static boolean valid(String value, Pattern pattern) {
        return value != null && pattern.matcher(value).matches();
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
