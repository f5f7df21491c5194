package io.dealflow.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The web app's files and sign-in: public, a local sign-in only where enabled with the local secret, and bad input refused. */
class WebAppSignInTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static HttpResponse<String> send(int port, String method, String path, String contentType, String body, String token) throws Exception {
        // a bounded wait: an answer that never comes fails the test instead of holding the build
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        // a fresh connection per call, as in FrontDoorTest: the JDK client can hang on a kept-alive connection reused after
        // an error answer to a POST (the refused sign-ins)
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "dealflow.auth.hs256-secret=" + Tokens.SECRET, "dealflow.web.local-sign-in=true", "dealflow.rate-limit.enabled=false",
            "dealflow.pipeline-service-url=http://127.0.0.1:9", "dealflow.analytics-service-url=http://127.0.0.1:9"})
    class LocalRun {

        @LocalServerPort
        int port;

        @Test
        void theAppIsPublicAndSignsInASellerOrALeader() throws Exception {
            HttpResponse<String> page = send(port, "GET", "/", null, null, null);
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("/app/main.js"), "the page loads the app");
            assertEquals(200, send(port, "GET", "/app/main.js", null, null, null).statusCode());
            assertEquals(200, send(port, "GET", "/webjars/echarts/5.3.1/dist/echarts.min.js", null, null, null).statusCode());
            assertEquals("local", JSON.readTree(send(port, "GET", "/app/sign-in", null, null, null).body()).get("method").asText());

            HttpResponse<String> seller = send(port, "POST", "/app/sign-in/local", "application/json", "{\"name\": \"ann\", \"role\": \"seller\"}", null);
            assertEquals(200, seller.statusCode(), seller.body());
            JsonNode token = JSON.readTree(seller.body());
            assertEquals("ann", token.get("subject").asText());
            assertEquals("deals:read deals:write analytics:read", token.get("scope").asText());
            // the token opens the API (the downstream is down: 503 from the gateway, not 401/403)
            String access = token.get("accessToken").asText();
            assertEquals(503, send(port, "GET", "/api/v1/deals", null, null, access).statusCode());
            assertEquals(403, send(port, "GET", "/api/v1/admin/store-counts", null, null, access).statusCode(), "a seller is no admin");

            JsonNode leader = JSON.readTree(send(port, "POST", "/app/sign-in/local", "application/json", "{\"name\": \"lea\", \"role\": \"leader\"}", null).body());
            assertTrue(leader.get("scope").asText().contains("admin"));
        }

        @Test
        void badSignInsAreRefusedWithProblems() throws Exception {
            String[][] tried = {
                    {"{\"name\": \"a n\", \"role\": \"seller\"}", "400"},           // space in the name
                    {"{\"name\": \"\", \"role\": \"seller\"}", "400"},              // empty name
                    {"{\"name\": \"" + "x".repeat(65) + "\", \"role\": \"seller\"}", "400"},
                    {"{\"name\": \"ann\", \"role\": \"admin\"}", "400"},            // not a role
                    {"{\"name\": \"ann\"}", "400"},                                 // no role
                    {"{\"name\": \"ann\\u0000\", \"role\": \"seller\"}", "400"},    // NUL
                    {"not json", "400"},
                    {"", "400"},
                    {"[1, 2]", "400"},
            };
            for (String[] attempt : tried) {
                HttpResponse<String> response = send(port, "POST", "/app/sign-in/local", "application/json", attempt[0], null);
                assertEquals(Integer.parseInt(attempt[1]), response.statusCode(), attempt[0] + " → " + response.body());
                assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
                assertFalse(response.body().contains("io.dealflow"), "no internals: " + response.body());
            }
            HttpResponse<String> text = send(port, "POST", "/app/sign-in/local", "text/plain", "ann", null);
            assertEquals(415, text.statusCode());
            assertFalse(text.body().contains("io.dealflow"), text.body());
        }
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "dealflow.auth.hs256-secret=" + Tokens.SECRET, "dealflow.rate-limit.enabled=false"})
    class NotEnabled {

        @LocalServerPort
        int port;

        @Test
        void withoutTheSwitchThereIsNoLocalSignIn() throws Exception {
            assertEquals("none", JSON.readTree(send(port, "GET", "/app/sign-in", null, null, null).body()).get("method").asText());
            assertEquals(404, send(port, "POST", "/app/sign-in/local", "application/json", "{\"name\": \"ann\", \"role\": \"leader\"}", null).statusCode());
        }
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "dealflow.auth.hs256-secret=" + Tokens.SECRET, "dealflow.web.local-sign-in=true", "dealflow.rate-limit.enabled=false",
            "dealflow.web.authorization-endpoint=https://idp.example.com/authorize", "dealflow.web.token-endpoint=https://idp.example.com/token",
            "dealflow.web.client-id=dealflow-web"})
    class IdentityProvider {

        @LocalServerPort
        int port;

        @Test
        void theAppIsToldWhereToSignIn() throws Exception {
            JsonNode options = JSON.readTree(send(port, "GET", "/app/sign-in", null, null, null).body());
            assertEquals("oidc", options.get("method").asText());
            assertEquals("https://idp.example.com/authorize", options.get("authorizationEndpoint").asText());
            assertEquals("dealflow-web", options.get("clientId").asText());
            assertEquals(404, send(port, "POST", "/app/sign-in/local", "application/json", "{\"name\": \"ann\", \"role\": \"leader\"}", null).statusCode(),
                    "with an identity provider the gateway signs no tokens of its own");
        }
    }
}
