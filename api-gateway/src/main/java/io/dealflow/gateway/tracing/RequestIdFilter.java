package io.dealflow.gateway.tracing;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.ServerHttpRequest;
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
 * Every request gets an X-Request-Id and a W3C traceparent: taken from the caller when well-formed, created
 * otherwise; both go to the services and back in the response (also on errors answered by the gateway itself).
 * A trace the gateway starts is marked sampled for {@code dealflow.tracing.sampling-probability} of the requests: the
 * services record spans for those (they follow the sampled flag) and export them where OTLP is configured.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIdFilter implements WebFilter {

    public static final String REQUEST_ID = "X-Request-Id";
    public static final String TRACEPARENT = "traceparent";
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern W3C = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final double samplingProbability;

    RequestIdFilter(@Value("${dealflow.tracing.sampling-probability}") double samplingProbability) {
        this.samplingProbability = samplingProbability;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String requestId = valid(request.getHeaders().getFirst(REQUEST_ID), SAFE_ID) ? request.getHeaders().getFirst(REQUEST_ID)
                : UUID.randomUUID().toString();
        String traceparent = valid(request.getHeaders().getFirst(TRACEPARENT), W3C) ? request.getHeaders().getFirst(TRACEPARENT)
                : "00-" + hex(16) + "-" + hex(8) + (ThreadLocalRandom.current().nextDouble() < samplingProbability ? "-01" : "-00");
        exchange.getResponse().getHeaders().set(REQUEST_ID, requestId);
        exchange.getResponse().getHeaders().set(TRACEPARENT, traceparent);
        return chain.filter(exchange.mutate().request(r -> r.headers(h -> {
            h.set(REQUEST_ID, requestId);
            h.set(TRACEPARENT, traceparent);
        })).build());
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
