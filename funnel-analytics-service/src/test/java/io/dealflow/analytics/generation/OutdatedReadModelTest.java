package io.dealflow.analytics.generation;

import io.dealflow.analytics.support.AnalyticsTest;
import io.dealflow.analytics.support.PipelineServiceStandIn;
import io.dealflow.analytics.support.EventWriter;
import io.dealflow.events.v1.DealCreated;
import io.dealflow.events.v1.EventTypes;
import io.dealflow.events.v1.Money;
import io.dealflow.events.v1.PipelineDefined;
import io.dealflow.events.v1.StageInfo;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A database of the earlier layout — the read model's tables in the default schema, migrated in place, holding rows
 * the topic no longer explains — meets a service that keeps its read model in generations: the old tables are dropped,
 * and the read model is rebuilt from the topic as the service starts, so the funnel answers what the events say. The
 * rebuild first compares the topic with pipeline-service's store; a stand-in for it answers 503 twice (still starting),
 * and the rebuild is tried again until it succeeds.
 */
@MicronautTest
class OutdatedReadModelTest extends AnalyticsTest {

    private static final Instant T0 = Instant.parse("2026-10-01T08:00:00Z");
    private static final String PIPELINE = "outdated-" + UUID.randomUUID();
    private static final StageInfo LEAD = new StageInfo("lead", "Lead", 0, 10, "AWARENESS");

    private static final AtomicInteger STORE_ASKED = new AtomicInteger();
    private static final PipelineServiceStandIn PIPELINE_SERVICE = pipelineService();

    @Inject
    ReadModelGenerations generations;
    @Inject
    DataSource dataSource;
    private String defaultSchema;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = super.getProperties();
        properties.put("dealflow.pipeline-service-url", PIPELINE_SERVICE.url());
        properties.put("dealflow.rebuild.outdated-retry", "1s");
        properties.put("dealflow.rebuild.store-check", "true");
        TestDatabase database = TestDatabase.of(properties);
        defaultSchema = database.defaultSchema();
        // the topic holds one pipeline with two deals; the old tables hold a deal of it that no event explains
        try (EventWriter writer = new EventWriter()) {
            DEALS.clear();
            writer.send(EventTypes.PIPELINE_DEFINED, PIPELINE, 0, T0, new PipelineDefined(PIPELINE, "Outdated", List.of(
                    new PipelineDefined.PipelineStage("lead", "Lead", 0, 10, "AWARENESS", null)), List.of(), T0, "system"));
            for (int i = 0; i < 2; i++) {
                String deal = UUID.randomUUID().toString();
                DEALS.add(deal);
                writer.send(EventTypes.DEAL_CREATED, deal, 0, T0, new DealCreated(deal, PIPELINE, "Deal " + i, new Money("10.00", "EUR"),
                        "o", "web", null, null, null, LEAD, T0, "u"));
            }
        }
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("create schema if not exists " + defaultSchema);
            s.execute("create table " + defaultSchema + ".deal (deal_id varchar(64) primary key, pipeline_id varchar(64) not null)");
            s.execute("insert into " + defaultSchema + ".deal values ('not-in-any-event', '" + PIPELINE + "')");
            s.execute("create table " + defaultSchema + ".flyway_schema_history (installed_rank int primary key)");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return properties;
    }

    private static final List<String> DEALS = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** pipeline-service's store counts: 503 for the first two asks, then the pipeline and the two deals, one event each. */
    private static PipelineServiceStandIn pipelineService() {
        return new PipelineServiceStandIn(Map.of("/api/v1/admin/store-counts", exchange -> {
            if (STORE_ASKED.incrementAndGet() <= 2) {
                return new PipelineServiceStandIn.Answer(503, "{}");
            }
            StringBuilder body = new StringBuilder("{\"aggregates\": [{\"aggregateId\": \"" + PIPELINE + "\", \"events\": 1}");
            DEALS.forEach(d -> body.append(", {\"aggregateId\": \"").append(d).append("\", \"events\": 1}"));
            return new PipelineServiceStandIn.Answer(200, body.append("], \"nextAfter\": null}").toString());
        }));
    }

    @AfterAll
    void stopStandIn() {
        PIPELINE_SERVICE.close();
    }

    @Test
    void theEarlierLayoutIsDroppedAndTheReadModelRebuiltFromTheTopicAtStartup() throws Exception {
        await("/api/v1/analytics/admin/rebuild", r -> r.status() == 200 && "DONE".equals(r.body().get("state").asText()));
        assertTrue(!generations.outdated());
        assertTrue(STORE_ASKED.get() >= 3, "tried again after the store did not answer: asked " + STORE_ASKED.get() + " times");
        assertTrue(generations.active().startsWith(defaultSchema + "_model_"), generations.active());
        assertEquals(2, get("/api/v1/funnel?pipelineId=" + PIPELINE).body().get("totals").get("deals").asLong(),
                "the deals of the topic, not the row of the old table");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from information_schema.tables where table_schema = '" + defaultSchema
                     + "' and table_name in ('deal', 'flyway_schema_history')")) {
            r.next();
            assertEquals(0, r.getLong(1), "the earlier layout's tables are gone");
        }
    }
}
