package io.dealflow.gateway;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Authentication, scopes, identity headers, CORS, request ids, body limit and docs, against real HTTP downstreams. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dealflow.auth.hs256-secret=" + Tokens.SECRET,
        "dealflow.auth.cors-allowed-origins=https://crm.example.com",
        "dealflow.rate-limit.enabled=false"})
class FrontDoorTest extends StandInDownstreams {

    @LocalServerPort
    int port;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> send(String method, String path, String token, String... headers) throws Exception {
        return send(method, path, token, HttpRequest.BodyPublishers.noBody(), headers);
    }

    private HttpResponse<String> send(String method, String path, String token, HttpRequest.BodyPublisher body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).method(method, body)
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        // A fresh connection per call: the JDK client can hang on a kept-alive connection reused after an error answer to a POST.
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(response.body().contains("https://dealflow.io/problems/" + slug), response.body());
    }

    @Test
    void tokensAreRequiredValidAndUnexpired() throws Exception {
        assertProblem(send("GET", "/api/v1/deals", null), 401, "unauthorized");
        assertProblem(send("GET", "/api/v1/deals", "not.a.jwt"), 401, "unauthorized");
        assertProblem(send("GET", "/api/v1/deals", Tokens.sign("another-secret-that-is-long-enough-for-hs256-xyz", "eve", "deals:read",
                Instant.now().plusSeconds(600))), 401, "unauthorized");
        assertProblem(send("GET", "/api/v1/deals", Tokens.sign(Tokens.SECRET, "bob", "deals:read", Instant.now().minusSeconds(120))),
                401, "unauthorized");
        assertEquals(200, send("GET", "/api/v1/deals", Tokens.token("bob", "deals:read")).statusCode());
    }

    @Test
    void everyRouteNeedsItsScope() throws Exception {
        String reader = Tokens.token("reader", "deals:read");
        String writer = Tokens.token("writer", "deals:write");
        String analyst = Tokens.token("analyst", "analytics:read");
        String admin = Tokens.token("root", "admin");
        assertEquals(200, send("GET", "/api/v1/pipelines", reader).statusCode());
        assertProblem(send("POST", "/api/v1/deals", reader), 403, "forbidden");
        assertEquals(200, send("POST", "/api/v1/deals", writer).statusCode());
        assertEquals(200, send("PATCH", "/api/v1/deals/d1", writer).statusCode());
        assertProblem(send("GET", "/api/v1/deals", writer), 403, "forbidden");
        assertProblem(send("GET", "/api/v1/funnel", reader), 403, "forbidden");
        assertEquals(200, send("GET", "/api/v1/funnel", analyst).statusCode());
        assertEquals(200, send("GET", "/api/v1/analytics/freshness", analyst).statusCode());
        assertProblem(send("POST", "/api/v1/admin/republish", writer), 403, "forbidden");
        assertProblem(send("GET", "/api/v1/analytics/reconciliation", analyst), 403, "forbidden");
        assertEquals(200, send("POST", "/api/v1/admin/republish", admin).statusCode());
        assertEquals(200, send("POST", "/api/v1/analytics/admin/rebuild", admin).statusCode());
        assertProblem(send("GET", "/api/v1/nothing", admin), 404, "not-found");
    }

    @Test
    void unknownPathsNeedATokenToo() throws Exception {
        assertProblem(send("GET", "/api/v1/nothing", null), 401, "unauthorized");
    }

    @Test
    void identityHeadersComeFromTheTokenNeverFromTheCaller() throws Exception {
        PIPELINE.received.clear();
        send("POST", "/api/v1/deals", Tokens.token("alice", "deals:write deals:read"),
                "X-DealFlow-Subject", "mallory", "X-DealFlow-Scopes", "admin");
        FakeDownstream.Received received = PIPELINE.received.get(PIPELINE.received.size() - 1);
        assertEquals(List.of("alice"), header(received, "X-DealFlow-Subject"));
        assertEquals(List.of("deals:write deals:read"), header(received, "X-DealFlow-Scopes"));
    }

    @Test
    void requestIdsAndTraceparentAreCreatedOrPassedThrough() throws Exception {
        PIPELINE.received.clear();
        HttpResponse<String> created = send("GET", "/api/v1/deals", Tokens.token("a", "deals:read"));
        String requestId = created.headers().firstValue("X-Request-Id").orElseThrow();
        assertTrue(created.headers().firstValue("traceparent").orElseThrow().matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00"), "started by the gateway, not sampled at the default probability 0");
        assertEquals(List.of(requestId), header(PIPELINE.received.get(0), "X-Request-Id"));

        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        HttpResponse<String> passed = send("GET", "/api/v1/deals", Tokens.token("a", "deals:read"),
                "X-Request-Id", "crm-42", "traceparent", traceparent);
        assertEquals("crm-42", passed.headers().firstValue("X-Request-Id").orElseThrow());
        assertEquals(traceparent, passed.headers().firstValue("traceparent").orElseThrow());
        assertEquals(List.of(traceparent), header(PIPELINE.received.get(1), "traceparent"));

        HttpResponse<String> rejected = send("GET", "/api/v1/deals", null, "X-Request-Id", "bad id with spaces");
        assertEquals(401, rejected.statusCode());
        assertNotNull(rejected.headers().firstValue("X-Request-Id").orElse(null), "errors carry a request id too");
        assertFalse(rejected.headers().firstValue("X-Request-Id").orElseThrow().contains(" "));
    }

    @Test
    void corsAllowsOnlyConfiguredOrigins() throws Exception {
        HttpResponse<String> allowed = send("OPTIONS", "/api/v1/deals", null, "Origin", "https://crm.example.com",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,content-type");
        assertEquals(200, allowed.statusCode());
        assertEquals("https://crm.example.com", allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        HttpResponse<String> denied = send("OPTIONS", "/api/v1/deals", null, "Origin", "https://evil.example.net",
                "Access-Control-Request-Method", "POST");
        assertEquals(403, denied.statusCode());
        assertTrue(denied.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }

    @Test
    void manyConcurrentSlowCallsAllPass() throws Exception {
        PIPELINE.delaysMillis.put("/api/v1/deals/slow", 400);
        String token = Tokens.token("busy", "deals:read");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(40);
        try {
            List<java.util.concurrent.Future<Integer>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(pool.submit(() -> send("GET", "/api/v1/deals/slow", token).statusCode()));
            }
            for (java.util.concurrent.Future<Integer> call : calls) {
                assertEquals(200, call.get(), "no concurrency cap in front of a healthy downstream");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void oversizeBodiesAre413() throws Exception {
        byte[] big = new byte[(1 << 20) + 10];
        assertProblem(send("POST", "/api/v1/deals", Tokens.token("w", "deals:write"), HttpRequest.BodyPublishers.ofByteArray(big),
                "Content-Type", "application/json"), 413, "payload-too-large");
        assertEquals(200, send("POST", "/api/v1/deals", Tokens.token("w", "deals:write"),
                HttpRequest.BodyPublishers.ofByteArray(new byte[1000]), "Content-Type", "application/json").statusCode());
    }

    @Test
    void anImportStreamsFarMoreThanARequestBodyButOnlyForAnAdministrator() throws Exception {
        byte[] history = new byte[5 << 20];
        java.util.Arrays.fill(history, (byte) '\n');
        assertEquals(200, send("POST", "/api/v1/imports", Tokens.token("ops", "admin"), HttpRequest.BodyPublishers.ofByteArray(history),
                "Content-Type", "application/x-ndjson", "Idempotency-Key", "history-1").statusCode(), "5 MB of history passes");
        assertProblem(send("POST", "/api/v1/imports", Tokens.token("seller", "deals:write"), HttpRequest.BodyPublishers.ofByteArray(new byte[10]),
                "Content-Type", "application/x-ndjson", "Idempotency-Key", "history-2"), 403, "forbidden");
        assertProblem(send("POST", "/api/v1/deals", Tokens.token("ops", "admin deals:write"), HttpRequest.BodyPublishers.ofByteArray(history),
                "Content-Type", "application/json"), 413, "payload-too-large");
    }

    @Test
    void oneDocsPageForTheWholeApiAndTheEventContract() throws Exception {
        HttpResponse<String> ui = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/docs")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(ui.statusCode() == 200 || ui.statusCode() == 302 || ui.statusCode() == 307, "docs page: " + ui.statusCode());
        // a browser follows the redirect without a token: the page and what it loads must open
        String page = ui.headers().firstValue("Location").map(l -> URI.create("http://localhost:" + port).resolve(l).getPath()).orElse("/api/docs");
        for (String path : List.of(page, page.replace("index.html", "swagger-initializer.js"), page.replace("index.html", "swagger-ui-bundle.js"))) {
            assertEquals(200, send("GET", path, null).statusCode(), path);
        }
        HttpResponse<String> config = send("GET", "/api/docs/gateway/api-docs/swagger-config", null);
        assertEquals(200, config.statusCode(), config.body());
        assertTrue(config.body().contains("/api/docs/pipeline/openapi.json") && config.body().contains("/api/docs/analytics/openapi.yml"), config.body());
        HttpResponse<String> pipelineDocs = send("GET", "/api/docs/pipeline/openapi.json", null);
        assertEquals(200, pipelineDocs.statusCode());
        assertTrue(pipelineDocs.body().contains("\"path\":\"/v3/api-docs\""), "routed to the service's OpenAPI: " + pipelineDocs.body());
        HttpResponse<String> asyncApi = send("GET", "/api/docs/events/asyncapi.yaml", null);
        assertEquals(200, asyncApi.statusCode());
        assertTrue(asyncApi.body().contains("asyncapi: 3.0.0"));
        assertEquals(200, send("GET", "/api/docs/events/schemas/io.dealflow.deal.won.v1.json", null).statusCode());
    }

    private static List<String> header(FakeDownstream.Received received, String name) {
        return received.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .findFirst().map(e -> e.getValue()).orElse(List.of());
    }

}
