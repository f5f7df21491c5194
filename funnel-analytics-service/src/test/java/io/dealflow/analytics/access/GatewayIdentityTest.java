package io.dealflow.analytics.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dealflow.analytics.support.AnalyticsTest;
import io.dealflow.analytics.support.GatewayHeaders;
import io.dealflow.trust.IdentitySignature;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The service's own check of the identity the gateway relays, and problem details written for a person. */
@MicronautTest
class GatewayIdentityTest extends AnalyticsTest {

    @Inject
    Router router;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper mapper = new ObjectMapper();

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + server.getPort() + path);
    }

    private void assertProblem(HttpResponse<String> response, int status, String slug) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertEquals("https://dealflow.io/problems/" + slug, mapper.readTree(response.body()).get("type").asText());
    }

    @Test
    void whatDidNotComeThroughTheGatewayIsRefused() throws Exception {
        assertProblem(send(HttpRequest.newBuilder(uri("/api/v1/analytics/freshness"))), 401, "unauthorized");
        assertProblem(send(HttpRequest.newBuilder(uri("/api/v1/analytics/freshness/"))), 401, "unauthorized");
        assertProblem(send(HttpRequest.newBuilder(uri("/api/v1/velocity?pipelineId=default"))
                .header("X-DealFlow-Subject", "mallory").header("X-DealFlow-Scopes", "analytics:read admin")), 401, "unauthorized");
        String forged = new IdentitySignature("not-the-gateways-secret-but-long-enough", Clock.systemUTC(), Duration.ofSeconds(60))
                .sign("GET", "/api/v1/analytics/freshness", "mallory", "analytics:read");
        assertProblem(send(HttpRequest.newBuilder(uri("/api/v1/analytics/freshness")).header("X-DealFlow-Subject", "mallory")
                .header("X-DealFlow-Scopes", "analytics:read").header("X-DealFlow-Signature", forged)), 401, "unauthorized");
        HttpRequest.Builder otherPath = GatewayHeaders.relayed("GET", uri("/api/v1/analytics/freshness"), "alice", "analytics:read")
                .uri(uri("/api/v1/analytics/reconciliation"));
        assertProblem(send(otherPath), 401, "unauthorized");
        assertEquals(200, send(HttpRequest.newBuilder(uri("/health"))).statusCode(), "health stays open for probes");
    }

    @Test
    void eachOperationChecksItsScope() throws Exception {
        assertProblem(send(GatewayHeaders.relayed("GET", uri("/api/v1/analytics/freshness"), "nobody", "")), 403, "forbidden");
        assertProblem(send(GatewayHeaders.relayed("GET", uri("/api/v1/analytics/freshness"), "seller", "deals:read deals:write")), 403, "forbidden");
        assertProblem(send(GatewayHeaders.relayed("GET", uri("/api/v1/analytics/reconciliation"), "analyst", "analytics:read")), 403, "forbidden");
        assertProblem(send(GatewayHeaders.relayed("POST", uri("/api/v1/analytics/admin/rebuild"), "analyst", "analytics:read")
                .POST(HttpRequest.BodyPublishers.noBody())), 403, "forbidden");
        assertEquals(200, send(GatewayHeaders.relayed("GET", uri("/api/v1/analytics/freshness"), "analyst", "analytics:read")).statusCode());
        assertEquals(200, send(GatewayHeaders.relayed("HEAD", uri("/api/v1/analytics/freshness"), "analyst", "analytics:read")
                .method("HEAD", HttpRequest.BodyPublishers.noBody())).statusCode(), "HEAD follows GET");
    }

    @Test
    void everyApiOperationNamesItsScope() {
        List<String> unguarded = router.uriRoutes()
                .filter(route -> route.getUriMatchTemplate().toPathString().startsWith("/api/"))
                .filter(route -> !route.getAnnotationMetadata().hasAnnotation(RequiresScope.class))
                .map(UriRouteInfo::toString).toList();
        assertTrue(unguarded.isEmpty(), "operations without @RequiresScope (refused to everybody): " + unguarded);
        assertTrue(router.uriRoutes().count() > 10);
    }

    @Test
    void malformedParametersAreExplainedWithoutJavaTypes() throws Exception {
        for (String path : List.of("/api/v1/forecast?pipelineId=default&months=abc", "/api/v1/forecast?pipelineId=default&months=1&months=x",
                "/api/v1/analytics/reconciliation?maxDifferences=%5B%5D", "/api/v1/velocity?pipelineId=default&from=yesterday",
                "/api/v1/trends?pipelineId=default&interval=fortnight", "/api/v1/forecast/backtest?pipelineId=default&months=%5B%5D")) {
            HttpResponse<String> response = send(GatewayHeaders.relayed("GET", uri(path)));
            assertEquals(400, response.statusCode(), path + ": " + response.body());
            JsonNode problem = mapper.readTree(response.body());
            String detail = problem.get("detail").asText();
            assertFalse(detail.contains("java") || detail.contains("[L") || detail.contains("Exception") || detail.contains("io.micronaut"),
                    path + ": " + detail);
        }
    }
}
