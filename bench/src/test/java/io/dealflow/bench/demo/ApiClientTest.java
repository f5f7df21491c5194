package io.dealflow.bench.demo;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo loader goes through the gateway's rate limit: refused requests are sent again after Retry-After. */
class ApiClientTest {

    @Test
    void aRateLimitedRequestIsSentAgainAfterTheAdvisedPause() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/deals", exchange -> {
            boolean refuse = calls.incrementAndGet() <= 2;
            if (refuse) {
                exchange.getResponseHeaders().set("Retry-After", "0");
            }
            reply(exchange, refuse ? 429 : 201, refuse ? "{\"status\":429}" : "{\"dealId\":\"d1\"}");
        });
        server.createContext("/api/v1/broken", exchange -> reply(exchange, 400, "{\"status\":400}"));
        server.start();
        try {
            ApiClient client = new ApiClient("http://127.0.0.1:" + server.getAddress().getPort(), null);
            assertEquals("d1", client.post("/api/v1/deals", "{}").get("dealId").asText());
            assertEquals(3, calls.get(), "two refusals, then the request that went through");
            IOException error = assertThrows(IOException.class, () -> client.post("/api/v1/broken", "{}"));
            assertTrue(error.getMessage().contains("400"), "other errors are not retried: " + error.getMessage());
        } finally {
            server.stop(0);
        }
    }

    private static void reply(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
