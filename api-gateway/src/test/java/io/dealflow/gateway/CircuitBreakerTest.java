package io.dealflow.gateway;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The breakers are configured in application.yml: a downstream that refuses every connection opens its breaker once the
 * minimum number of calls (20) has been seen, not before, and the other downstream's breaker stays closed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"dealflow.auth.hs256-secret=" + Tokens.SECRET, "dealflow.rate-limit.enabled=false"})
class CircuitBreakerTest {

    @DynamicPropertySource
    static void downstreams(DynamicPropertyRegistry registry) {
        DownstreamDownTest.downstreams(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    ReactiveResilience4JCircuitBreakerFactory breakers;

    @Test
    void aDeadDownstreamOpensItsBreakerAfterTheConfiguredCalls() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String token = Tokens.token("tester", "deals:read deals:write analytics:read");
        // writes are not retried: each is one call of the breaker
        for (int i = 1; i <= 25; i++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/deals"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\": \"ACME\", \"amount\": {\"value\": \"1\", \"currency\": \"EUR\"}}"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, response.statusCode(), response.body());
            CircuitBreaker pipeline = breakers.getCircuitBreakerRegistry().circuitBreaker("pipeline-service");
            assertEquals(i < 20 ? CircuitBreaker.State.CLOSED : CircuitBreaker.State.OPEN, pipeline.getState(), "after " + i + " calls");
        }
        CircuitBreakerConfig config = breakers.getCircuitBreakerRegistry().circuitBreaker("pipeline-service").getCircuitBreakerConfig();
        assertEquals(50, config.getSlidingWindowSize());
        assertEquals(5000L, config.getWaitIntervalFunctionInOpenState().apply(1));
        assertEquals(CircuitBreaker.State.CLOSED, breakers.getCircuitBreakerRegistry().circuitBreaker("funnel-analytics-service").getState());
    }
}
