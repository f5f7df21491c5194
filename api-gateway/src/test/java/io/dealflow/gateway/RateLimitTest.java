package io.dealflow.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Over the limit a client gets 429 problem+json with Retry-After; other clients are unaffected; gateways sharing Redis
 * share one limit, taken atomically.
 */
class RateLimitTest {

    static final FakeDownstream DOWNSTREAM = FakeDownstream.named("pipeline-service");

    @AfterAll
    static void stop() {
        DOWNSTREAM.close();
    }

    static void downstreams(DynamicPropertyRegistry registry) {
        registry.add("dealflow.pipeline-service-url", DOWNSTREAM::url);
        registry.add("dealflow.analytics-service-url", DOWNSTREAM::url);
    }

    static void hitTheLimit(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String greedy = Tokens.token("greedy-" + UUID.randomUUID(), "deals:read");
        String other = Tokens.token("other-" + UUID.randomUUID(), "deals:read");
        int ok = 0;
        HttpResponse<String> limited = null;
        for (int i = 0; i < 10 && limited == null; i++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/deals"))
                    .header("Authorization", "Bearer " + greedy).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 429) {
                limited = response;
            } else {
                ok++;
            }
        }
        assertEquals(5, ok, "exactly the limit passes");
        assertTrue(limited != null, "the sixth request is limited");
        assertTrue(limited.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(limited.body().contains("https://dealflow.io/problems/rate-limited"));
        assertEquals("12", limited.headers().firstValue("Retry-After").orElseThrow(), "5 per minute: one request's credit returns in 12 s");
        // a fresh client: the JDK client's reused connection once waited for ever here (as in WebAppSignInTest)
        assertEquals(200, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/deals"))
                .header("Authorization", "Bearer " + other).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).statusCode(), "per client");
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "dealflow.auth.hs256-secret=" + Tokens.SECRET, "dealflow.rate-limit.limit=5", "dealflow.rate-limit.window=60s"})
    class InMemory {

        @DynamicPropertySource
        static void props(DynamicPropertyRegistry registry) {
            downstreams(registry);
        }

        @LocalServerPort
        int port;

        @Test
        void limitsPerClient() throws Exception {
            hitTheLimit(port);
        }
    }

    /** Redis gone: requests pass (the limit fails open) and the warning names the request it happened on. */
    @Nested
    @ExtendWith(OutputCaptureExtension.class)
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "dealflow.auth.hs256-secret=" + Tokens.SECRET, "dealflow.rate-limit.limit=5", "dealflow.rate-limit.window=60s"})
    class RedisDown {

        @DynamicPropertySource
        static void props(DynamicPropertyRegistry registry) {
            downstreams(registry);
            String dead = "redis://127.0.0.1:" + RoutingTest.freePort();
            registry.add("dealflow.rate-limit.redis-url", () -> dead);
            registry.add("spring.data.redis.url", () -> dead);
        }

        @LocalServerPort
        int port;

        @Test
        void requestsPassAndTheWarningCarriesTheRequestId(CapturedOutput output) throws Exception {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/deals"))
                    .header("Authorization", "Bearer " + Tokens.token("redis-down", "deals:read"))
                    .header("X-Request-Id", "rate-limit-42").timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            String warning = output.getOut().lines().filter(l -> l.contains("Rate-limit store unavailable")).findFirst().orElseThrow();
            assertTrue(warning.contains("req=rate-limit-42"), warning);
            assertTrue(warning.contains("trace=00-"), warning);
        }
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "dealflow.auth.hs256-secret=" + Tokens.SECRET, "dealflow.rate-limit.limit=5", "dealflow.rate-limit.window=60s",
            "dealflow.rate-limit.redis-url=redis://127.0.0.1:6379", "spring.data.redis.url=redis://127.0.0.1:6379"})
    class Redis {

        @DynamicPropertySource
        static void props(DynamicPropertyRegistry registry) {
            downstreams(registry);
        }

        @LocalServerPort
        int port;

        @Test
        void limitsPerClient() throws Exception {
            Assumptions.assumeTrue(redisAnswers(), "no Redis on 127.0.0.1:6379: the Redis-backed limit is not tested here");
            hitTheLimit(port);
        }

        @Test
        void twoGatewaysShareOneLimitEvenUnderConcurrentRequests() throws Exception {
            Assumptions.assumeTrue(redisAnswers(), "no Redis on 127.0.0.1:6379: the Redis-backed limit is not tested here");
            try (ConfigurableApplicationContext second = new SpringApplicationBuilder(GatewayApplication.class).run(
                    "--server.port=0", "--dealflow.auth.hs256-secret=" + Tokens.SECRET, "--dealflow.rate-limit.limit=5",
                    "--dealflow.rate-limit.window=60s", "--dealflow.rate-limit.redis-url=redis://127.0.0.1:6379",
                    "--spring.data.redis.url=redis://127.0.0.1:6379",
                    "--dealflow.pipeline-service-url=" + DOWNSTREAM.url(), "--dealflow.analytics-service-url=" + DOWNSTREAM.url())) {
                int secondPort = ((WebServerApplicationContext) second).getWebServer().getPort();
                String token = Tokens.token("shared-" + UUID.randomUUID(), "deals:read");
                HttpClient http = HttpClient.newHttpClient();
                ExecutorService pool = Executors.newFixedThreadPool(16);
                try {
                    List<Future<Integer>> calls = new ArrayList<>();
                    for (int i = 0; i < 16; i++) {
                        int target = i % 2 == 0 ? port : secondPort;
                        calls.add(pool.submit(() -> http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + target + "/api/v1/deals"))
                                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).statusCode()));
                    }
                    int passed = 0;
                    for (Future<Integer> call : calls) {
                        int status = call.get();
                        assertTrue(status == 200 || status == 429, "status " + status);
                        passed += status == 200 ? 1 : 0;
                    }
                    assertEquals(5, passed, "16 requests at once through two gateways: exactly the one shared limit passes");
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    static boolean redisAnswers() {
        try (Socket socket = new Socket("127.0.0.1", 6379)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

}
