package io.dealflow.gateway;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A downstream that is not running gives a fast 503 problem+json, not a hang or a 500, and the gateway stays ready. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"dealflow.auth.hs256-secret=" + Tokens.SECRET, "dealflow.rate-limit.enabled=false"})
class DownstreamDownTest {

    @DynamicPropertySource
    static void downstreams(DynamicPropertyRegistry registry) {
        int dead = RoutingTest.freePort();
        registry.add("dealflow.pipeline-service-url", () -> "http://127.0.0.1:" + dead);
        registry.add("dealflow.analytics-service-url", () -> "http://127.0.0.1:" + dead);
    }

    @LocalServerPort
    int port;

    @Test
    void stoppedDownstreamIsAFast503() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : new String[] {"/api/v1/deals", "/api/v1/funnel"}) {
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("Authorization", "Bearer " + Tokens.token("tester", "deals:read analytics:read"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(503, response.statusCode(), path + " " + response.body());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            assertTrue(response.body().contains("https://dealflow.io/problems/service-unavailable"), response.body());
            assertTrue(millis < 3000, path + " took " + millis + " ms");
        }
    }

    /**
     * A gateway whose services are down stays ready: taken out of its load balancer it could answer nothing, where in
     * it answers the fast 503 problems above. The downstreams' state shows in the overall health.
     */
    @Test
    void aDownstreamOutageLeavesTheGatewayReadyAndShowsInItsHealth() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> readiness = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, readiness.statusCode(), readiness.body());
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"downstreams\":{\"status\":\"DOWN\"}"), health.body());
    }
}
