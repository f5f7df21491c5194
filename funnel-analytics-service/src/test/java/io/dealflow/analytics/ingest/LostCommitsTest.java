package io.dealflow.analytics.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dealflow.analytics.support.EventWriter;
import io.dealflow.analytics.support.GatewayHeaders;
import io.dealflow.events.v1.DealCreated;
import io.dealflow.events.v1.EventTypes;
import io.dealflow.events.v1.Money;
import io.dealflow.events.v1.PipelineDefined;
import io.dealflow.events.v1.StageInfo;
import io.dealflow.kafka.LocalKafka;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With its H2 file written lazily ({@code WRITE_DELAY=500}, an operator's choice), a crash can take the read model's
 * last commits while the consumer group's offsets already say those records were consumed. Staged with the file
 * itself: the service stops after three deals, its file is copied; it starts again, applies two more deals and commits
 * their offsets, stops; the copy is put back (the file as a crash would have left it) and the service starts on it. It
 * must read the two deals again from where its own commits say — not from the group's offsets, which would leave them
 * out for good — and count each deal once.
 */
class LostCommitsTest {

    private static final Instant T0 = Instant.parse("2026-10-01T08:00:00Z");
    private static final StageInfo LEAD = new StageInfo("lead", "Lead", 0, 10, "AWARENESS");

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final String pipeline = "lost-" + UUID.randomUUID();
    private final String group = "lost-commits-" + UUID.randomUUID();

    @TempDir
    Path data;

    private EmbeddedServer start() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("kafka.bootstrap.servers", LocalKafka.shared().bootstrapServers());
        properties.put("micronaut.server.port", -1);
        properties.put("dealflow.consumer-group", group);
        properties.put("dealflow.data-dir", data.toString());
        // a file written lazily, as an operator may configure it (application.yml)
        properties.put("datasources.default.url", "jdbc:h2:file:" + data.resolve("db")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=500;QUERY_CACHE_SIZE=64");
        return ApplicationContext.run(EmbeddedServer.class, properties);
    }

    @Test
    void recordsWhoseCommitsTheFileLostAreReadAgainFromTheTopic() throws Exception {
        Path file = data.resolve("db.mv.db");
        Path copy = data.resolve("after-three-deals.mv.db");
        try (EventWriter writer = new EventWriter()) {
            writer.send(EventTypes.PIPELINE_DEFINED, pipeline, 0, T0, new PipelineDefined(pipeline, "Lost commits", List.of(
                    new PipelineDefined.PipelineStage("lead", "Lead", 0, 10, "AWARENESS", null)), List.of(), T0, "system"));
            EmbeddedServer first = start();
            try {
                createDeals(writer, 3);
                awaitFunnel(first, deals -> deals == 3, "the first three deals");
            } finally {
                first.getApplicationContext().close();
            }
            Files.copy(file, copy);

            EmbeddedServer second = start();
            try {
                createDeals(writer, 2);
                awaitFunnel(second, deals -> deals == 5, "all five deals");
                // the group's offsets now lie past the last two deals: without the read model's own offsets, a
                // consumer of this group would never read them again
                await(second, "/api/v1/analytics/freshness", answer -> answer.path("totalLag").asLong(-1) == 0, "the group's offsets committed");
            } finally {
                second.getApplicationContext().close();
            }
            Files.copy(copy, file, StandardCopyOption.REPLACE_EXISTING);

            EmbeddedServer afterCrash = start();
            try {
                awaitFunnel(afterCrash, deals -> deals == 5, "the two deals the file lost, read again");
                Thread.sleep(1000);
                assertEquals(5, funnelDeals(afterCrash), "each deal counted once after the records are read again");
            } finally {
                afterCrash.getApplicationContext().close();
            }
        }
    }

    private void createDeals(EventWriter writer, int count) {
        for (int i = 0; i < count; i++) {
            String deal = UUID.randomUUID().toString();
            writer.send(EventTypes.DEAL_CREATED, deal, 0, T0, new DealCreated(deal, pipeline, "Deal " + i, new Money("10.00", "EUR"),
                    "o", "web", null, null, null, LEAD, T0, "u"));
        }
    }

    private long funnelDeals(EmbeddedServer server) throws Exception {
        return get(server, "/api/v1/funnel?pipelineId=" + pipeline).path("totals").path("deals").asLong(-1);
    }

    private void awaitFunnel(EmbeddedServer server, Predicate<Long> deals, String what) throws Exception {
        await(server, "/api/v1/funnel?pipelineId=" + pipeline, answer -> deals.test(answer.path("totals").path("deals").asLong(-1)), what);
    }

    private void await(EmbeddedServer server, String path, Predicate<JsonNode> condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = get(server, path);
            if (condition.test(last)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("never saw " + what + "; last answer of " + path + ": " + last);
    }

    private JsonNode get(EmbeddedServer server, String path) throws Exception {
        HttpResponse<String> response = http.send(GatewayHeaders.relayed("GET", URI.create("http://localhost:" + server.getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body().isBlank() ? json.nullNode() : json.readTree(response.body());
    }
}
