package io.dealflow.analytics.property;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dealflow.analytics.support.EventWriter;
import io.dealflow.analytics.support.GatewayHeaders;
import io.dealflow.kafka.LocalKafka;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Three instances in one consumer group over one database split the partitions between them; one leaves half way
 * (its partitions are rebalanced to the other two) and a replacement joins at three quarters. Every instance's answers
 * equal the independent model's, and each other's.
 */
class ScaleOutTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private static EmbeddedServer instance(String database, String group) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("kafka.bootstrap.servers", LocalKafka.shared().bootstrapServers());
        properties.put("micronaut.server.port", -1);
        properties.put("dealflow.consumer-group", group);
        properties.put("datasources.default.url", "jdbc:h2:mem:" + database
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        return ApplicationContext.run(EmbeddedServer.class, properties);
    }

    @Test
    void threeInstancesOneLeavingAndOneJoiningGiveTheSameAnswers() throws Exception {
        String group = "scale-" + UUID.randomUUID();
        String database = "scale-" + UUID.randomUUID();
        String pipeline = "scale-" + UUID.randomUUID().toString().substring(0, 8);
        EmbeddedServer a = instance(database, group);
        EmbeddedServer b = instance(database, group);
        EmbeddedServer c = instance(database, group);
        EmbeddedServer d = null;
        try (EventWriter writer = new EventWriter()) {
            List<DealScript> deals = FunnelPropertyTest.generate(42, 60).stream().map(deal -> deal.withId(pipeline + "-" + deal.dealId())).toList();
            var definition = PropertyEvents.pipeline(pipeline, Instant.parse("2026-01-01T00:00:00Z"));
            writer.send(definition.type(), pipeline, 0, definition.time(), definition.payload());
            int half = deals.size() / 2;
            for (int i = 0; i < deals.size(); i++) {
                if (i == half) {
                    b.getApplicationContext().close();
                }
                if (i == half + half / 2) {
                    d = instance(database, group);
                }
                for (PropertyEvents.Event e : PropertyEvents.events(pipeline, deals.get(i))) {
                    writer.send(e.type(), e.subject(), e.sequence(), e.time(), e.payload());
                }
            }
            IndependentModel model = new IndependentModel(deals, PropertyEvents.PHASES);
            List<List<Long>> expected = model.funnel(null, 5, false).stream()
                    .map(r -> List.of(r.reached(), r.entered(), r.current(), r.advanced(), r.lost())).toList();
            JsonNode fromA = await(a, pipeline, expected);
            JsonNode fromC = await(c, pipeline, expected);
            JsonNode fromD = await(d, pipeline, expected);
            assertEquals(fromA.get("stages"), fromC.get("stages"), "every instance answers the same");
            assertEquals(fromA.get("stages"), fromD.get("stages"), "every instance answers the same");
            IndependentModel.Totals totals = model.totals(null);
            JsonNode t = fromA.get("totals");
            assertEquals(List.of(totals.deals(), totals.won(), totals.lost(), totals.open()),
                    List.of(t.get("deals").asLong(), t.get("won").asLong(), t.get("lost").asLong(), t.get("open").asLong()), "totals");
        } finally {
            a.getApplicationContext().close();
            c.getApplicationContext().close();
            if (d != null) {
                d.getApplicationContext().close();
            }
        }
    }

    /** Polls until every stage's counts equal the independent model's; the totals alone match before the last moves land. */
    private JsonNode await(EmbeddedServer server, String pipeline, List<List<Long>> expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<List<Long>> last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(GatewayHeaders.relayed("GET", URI.create("http://localhost:" + server.getPort()
                    + "/api/v1/funnel?pipelineId=" + pipeline)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode answer = json.readTree(response.body());
            last = new ArrayList<>();
            for (JsonNode row : answer.path("stages")) {
                last.add(List.of(row.get("reached").asLong(), row.get("entered").asLong(), row.get("current").asLong(),
                        row.get("advanced").asLong(), row.get("lost").asLong()));
            }
            if (last.equals(expected)) {
                return answer;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("instance never reached the independent model's funnel: " + last + " expected " + expected);
    }
}
