package io.dealflow.gateway;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"dealflow.auth.hs256-secret=" + Tokens.SECRET, "dealflow.rate-limit.enabled=false"})
class RoutingTest extends StandInDownstreams {

    static final int DEAD_PORT = freePort();

    @LocalServerPort
    int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private static final String ALL_SCOPES = "deals:read deals:write analytics:read admin";

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + Tokens.token("tester", ALL_SCOPES)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void routesEachPublicPathToItsService() throws Exception {
        for (String path : new String[] {"/api/v1/pipelines", "/api/v1/pipelines/default/board", "/api/v1/deals", "/api/v1/deals/42/history"}) {
            HttpResponse<String> response = get(path);
            assertEquals(200, response.statusCode(), path);
            assertTrue(response.body().contains("\"service\":\"pipeline-service\""), path + " -> " + response.body());
        }
        for (String path : new String[] {"/api/v1/funnel", "/api/v1/funnel/phases", "/api/v1/forecast", "/api/v1/forecast/backtest",
                "/api/v1/velocity", "/api/v1/trends", "/api/v1/waterfall", "/api/v1/analytics/freshness"}) {
            HttpResponse<String> response = get(path);
            assertEquals(200, response.statusCode(), path);
            assertTrue(response.body().contains("\"service\":\"funnel-analytics-service\""), path + " -> " + response.body());
        }
    }

    @Test
    void unknownPathsAreProblemJson404() throws Exception {
        HttpResponse<String> response = get("/api/v1/nothing");
        assertEquals(404, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(response.body().contains("https://dealflow.io/problems/not-found"), response.body());
    }

    @Test
    void onlyHealthInfoAndPrometheusAreExposed() throws Exception {
        assertEquals(200, get("/actuator/health").statusCode());
        assertEquals(200, get("/actuator/prometheus").statusCode());
        assertEquals(404, get("/actuator/gateway/routes").statusCode());
        assertEquals(404, get("/actuator/env").statusCode());
    }


    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
