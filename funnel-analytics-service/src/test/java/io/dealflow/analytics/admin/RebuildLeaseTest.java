package io.dealflow.analytics.admin;

import io.dealflow.analytics.support.AnalyticsTest;
import io.dealflow.analytics.support.EventWriter;
import io.dealflow.analytics.support.GatewayHeaders;
import io.dealflow.events.v1.DealCreated;
import io.dealflow.events.v1.EventTypes;
import io.dealflow.events.v1.Money;
import io.dealflow.events.v1.PipelineDefined;
import io.dealflow.events.v1.StageInfo;
import io.micronaut.configuration.kafka.ConsumerRegistry;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One rebuild at a time across instances: while another instance holds the rebuild lease this one refuses to start a
 * rebuild (409) and stops consuming, and it consumes again — nothing skipped, into the generation the rebuild made
 * active — once the lease is gone. A lease its
 * holder stopped renewing (killed halfway) does not block anyone.
 */
@MicronautTest
class RebuildLeaseTest extends AnalyticsTest {

    private static final Instant T0 = Instant.parse("2026-10-01T08:00:00Z");
    private static final StageInfo LEAD = new StageInfo("lead", "Lead", 0, 10, "AWARENESS");

    @Inject
    DataSource dataSource;
    @Inject
    RebuildWatch watch;
    @Inject
    ConsumerRegistry consumers;
    @Inject
    io.dealflow.analytics.generation.ReadModelGenerations generations;
    @Inject
    io.dealflow.analytics.ingest.Ingestion ingestion;

    @AfterEach
    void noLease() throws Exception {
        execute("delete from rebuild_lease");
    }

    @Test
    void whileAnotherInstanceRebuildsThisOneWaitsAndThenCatchesUp() throws Exception {
        String pipeline = "lease-" + UUID.randomUUID();
        try (EventWriter writer = new EventWriter()) {
            writer.send(EventTypes.PIPELINE_DEFINED, pipeline, 0, T0, new PipelineDefined(pipeline, "Lease", List.of(
                    new PipelineDefined.PipelineStage("lead", "Lead", 0, 10, "AWARENESS", null)), List.of(), T0, "system"));
            String funnel = "/api/v1/funnel?pipelineId=" + pipeline;
            await(funnel, r -> r.status() == 200);
            // a settled consumer group (each consumer has its partitions), so no rebalance falls into the pause below
            long settled = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!consumers.getConsumerIds().stream().allMatch(this::hasPartitions) && System.nanoTime() < settled) {
                Thread.sleep(100);
            }

            leaseHeldBy("analytics-elsewhere", Instant.now());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!watch.pausedForAnother() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(watch.pausedForAnother(), "consuming pauses while another instance rebuilds");
            Thread.sleep(2_000); // a consumer stops after the poll it was in when asked (at most the poll timeout)
            assertEquals(409, postRebuild(), "a second rebuild is refused");

            String deal = UUID.randomUUID().toString();
            writer.send(EventTypes.DEAL_CREATED, deal, 0, T0, new DealCreated(deal, pipeline, "Deal", new Money("5.00", "EUR"), "o", "web",
                    null, null, null, LEAD, T0, "u"));
            Thread.sleep(3_000);
            assertEquals(0, get(funnel).body().get("totals").get("deals").asLong(), "nothing applied while paused");

            // the other instance fills its generation (here two deals the topic does not hold) and points at it
            String theirs = generations.createNext();
            generations.fill(theirs, () -> ingestion.ingest(List.of(
                    EventWriter.record(EventTypes.PIPELINE_DEFINED, pipeline, 0, T0, new PipelineDefined(pipeline, "Lease", List.of(
                            new PipelineDefined.PipelineStage("lead", "Lead", 0, 10, "AWARENESS", null)), List.of(), T0, "system")),
                    created(pipeline, UUID.randomUUID().toString()), created(pipeline, UUID.randomUUID().toString()))));
            execute("delete from read_model_generation");
            execute("insert into read_model_generation (id, active_schema) values (1, '" + theirs + "')");
            assertEquals(0, get(funnel).body().get("totals").get("deals").asLong(), "this instance answers from its generation until the lease is gone");

            execute("delete from rebuild_lease");
            // the rebuilt generation answers here too, and what was sent meanwhile is applied to it
            await(funnel, r -> r.body().get("totals").get("deals").asLong() == 3);
            assertEquals(theirs, generations.active());
            assertTrue(!watch.pausedForAnother());
        }
    }

    @Test
    void aLeaseNobodyRenewsDoesNotBlock() throws Exception {
        leaseHeldBy("analytics-killed-halfway", Instant.now().minus(Duration.ofMinutes(10)));
        assertEquals(202, postRebuild());
        await("/api/v1/analytics/admin/rebuild", r -> "DONE".equals(r.body().get("state").asText()));
        try (Connection c = dataSource.getConnection(); var s = c.createStatement(); var rs = s.executeQuery("select count(*) from rebuild_lease")) {
            rs.next();
            assertEquals(0, rs.getLong(1), "the lease is released when the rebuild ends");
        }
    }

    private static org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> created(String pipeline, String deal) {
        return EventWriter.record(EventTypes.DEAL_CREATED, deal, 0, T0, new DealCreated(deal, pipeline, "Rebuilt elsewhere",
                new Money("5.00", "EUR"), "o", "web", null, null, null, LEAD, T0, "u"));
    }

    private boolean hasPartitions(String consumerId) {
        try {
            return !consumers.getConsumerAssignment(consumerId).isEmpty();
        } catch (IllegalArgumentException notYetAssigned) {
            return false;
        }
    }

    private void leaseHeldBy(String holder, Instant renewedAt) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("insert into rebuild_lease (id, holder, renewed_at) values (1, ?, ?)")) {
            s.setString(1, holder);
            s.setTimestamp(2, Timestamp.from(renewedAt));
            s.executeUpdate();
        }
    }

    private void execute(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); var s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    private int postRebuild() throws Exception {
        return HttpClient.newHttpClient().send(GatewayHeaders.relayed("POST", URI.create("http://localhost:" + server.getPort()
                + "/api/v1/analytics/admin/rebuild")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
