package io.dealflow.gateway.tracing;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With tracing switched off, the sampled flag of a trace the gateway starts follows the configured share and a caller's
 * traceparent is kept (with tracing on, {@code RequestTracingTest}).
 */
class RequestIdFilterTest {

    private static String traceparent(double probability, String given) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/api/v1/deals");
        if (given != null) {
            request.header(RequestIdFilter.TRACEPARENT, given);
        }
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        new RequestIdFilter(false, probability).filter(exchange, e -> Mono.empty()).block();
        return exchange.getResponse().getHeaders().getFirst(RequestIdFilter.TRACEPARENT);
    }

    @Test
    void startedTracesAreSampledAtTheConfiguredShare() {
        for (int i = 0; i < 20; i++) {
            assertTrue(traceparent(1.0, null).endsWith("-01"));
            assertTrue(traceparent(0.0, null).endsWith("-00"));
        }
        long sampled = 0;
        for (int i = 0; i < 2000; i++) {
            sampled += traceparent(0.25, null).endsWith("-01") ? 1 : 0;
        }
        assertTrue(sampled > 400 && sampled < 600, sampled + " of 2000 sampled at 25 %");
    }

    @Test
    void aCallersTraceparentKeepsItsFlag() {
        String unsampled = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";
        assertEquals(unsampled, traceparent(1.0, unsampled));
    }
}
