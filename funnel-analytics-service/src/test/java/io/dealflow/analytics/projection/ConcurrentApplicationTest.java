package io.dealflow.analytics.projection;

import io.dealflow.analytics.support.AnalyticsTest;
import io.dealflow.analytics.support.EventWriter;
import io.dealflow.events.v1.DealCreated;
import io.dealflow.events.v1.EventTypes;
import io.dealflow.events.v1.Money;
import io.dealflow.events.v1.PipelineDefined;
import io.dealflow.events.v1.StageInfo;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Two transactions that applied events of the same deal from the same starting point cannot both be saved: the second
 * finds the deal changed and rolls back (its batch is then applied again from what is stored), so no event of that
 * deal is counted twice — as could happen between two instances around a rebalance, or a fetch of missing events.
 */
@MicronautTest
class ConcurrentApplicationTest extends AnalyticsTest {

    @Test
    void aDealChangedSinceItWasReadIsNotOverwritten() throws Exception {
        String pipeline = "concurrent-" + UUID.randomUUID();
        String deal = UUID.randomUUID().toString();
        Instant now = Instant.parse("2026-11-01T10:00:00Z");
        try (EventWriter writer = new EventWriter()) {
            writer.send(EventTypes.PIPELINE_DEFINED, pipeline, 0, now, new PipelineDefined(pipeline, "Concurrent", List.of(
                    new PipelineDefined.PipelineStage("lead", "Lead", 0, 10, "AWARENESS", null)), List.of(), now, "system"));
            writer.send(EventTypes.DEAL_CREATED, deal, 0, now, new DealCreated(deal, pipeline, "Deal", new Money("5.00", "EUR"),
                    null, null, null, null, null, new StageInfo("lead", "Lead", 0, 10, "AWARENESS"), now, "u"));
        }
        await("/api/v1/funnel?pipelineId=" + pipeline, r -> r.status() == 200 && r.body().get("totals").get("deals").asLong() == 1);

        DataSource dataSource = server.getApplicationContext().getBean(DataSource.class);
        try (Connection mine = dataSource.getConnection()) {
            mine.setAutoCommit(false);
            Map<String, DealState> read = DealStateStore.load(mine, Set.of(deal));
            try (Connection other = dataSource.getConnection();
                 PreparedStatement applied = other.prepareStatement("update deal set last_seq = 1 where deal_id = ?")) {
                other.setAutoCommit(true);
                applied.setString(1, deal);
                assertEquals(1, applied.executeUpdate(), "another transaction applies the deal's event 1 meanwhile");
            }
            DealState state = read.get(deal);
            state.lastSeq = 1;
            state.dirty = true;
            assertThrows(ConcurrentApplication.class, () -> DealStateStore.save(mine, read.values()));
            mine.rollback();
        }
    }
}
