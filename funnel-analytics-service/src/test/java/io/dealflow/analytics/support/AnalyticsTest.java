package io.dealflow.analytics.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dealflow.kafka.LocalKafka;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The service against a real broker and a real database: H2 in memory per test class, or PostgreSQL
 * when DEALFLOW_TEST_PG_URL_ANALYTICS is set (then in a schema of its own per test class).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AnalyticsTest implements TestPropertyProvider {

    @Inject
    protected EmbeddedServer server;
    protected final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("kafka.bootstrap.servers", LocalKafka.shared().bootstrapServers());
        properties.put("dealflow.consumer-group", "analytics-test-" + UUID.randomUUID());
        String pg = System.getenv("DEALFLOW_TEST_PG_URL_ANALYTICS");
        if (pg != null && !pg.isBlank()) {
            String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            properties.put("datasources.default.url", pg + (pg.contains("?") ? "&" : "?") + "currentSchema=" + schema);
            properties.put("flyway.datasources.default.default-schema", schema);
            properties.put("flyway.datasources.default.create-schemas", "true");
            properties.put("datasources.default.username", System.getenv().getOrDefault("DEALFLOW_TEST_PG_USER", "postgres"));
            properties.put("datasources.default.password", System.getenv().getOrDefault("DEALFLOW_TEST_PG_PASSWORD", ""));
        } else {
            properties.put("datasources.default.url", "jdbc:h2:mem:analytics-" + UUID.randomUUID()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        }
        return properties;
    }

    protected record Reply(int status, String contentType, JsonNode body) {
    }

    /** The test's database as its properties name it, for a test that prepares it before the service starts. */
    protected record TestDatabase(String url, String user, String password, String defaultSchema) {

        public static TestDatabase of(Map<String, String> properties) {
            return new TestDatabase(properties.get("datasources.default.url"), properties.getOrDefault("datasources.default.username", "sa"),
                    properties.getOrDefault("datasources.default.password", ""),
                    properties.getOrDefault("flyway.datasources.default.default-schema", "public"));
        }

        public java.sql.Connection connect() throws java.sql.SQLException {
            return java.sql.DriverManager.getConnection(url, user, password);
        }
    }

    protected Reply get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(GatewayHeaders.relayed("GET", URI.create("http://localhost:" + server.getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body().isBlank() ? null : json.readTree(response.body()));
    }

    /** Polls a GET until its answer satisfies the condition; fails with the last answer otherwise. */
    protected Reply await(String path, Predicate<Reply> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Reply last = null;
        while (System.nanoTime() < deadline) {
            last = get(path);
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("condition not met for " + path + "; last answer: " + (last == null ? null : last.status() + " " + last.body()));
    }
}
