package io.dealflow.pipeline.deal;

import io.dealflow.pipeline.config.Actor;
import io.dealflow.pipeline.deal.query.DealView;
import io.dealflow.pipeline.deal.query.DealViews;
import io.dealflow.pipeline.support.IntegrationTest;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.math.BigDecimal;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A deal with thousands of events still loads (from a snapshot) and accepts commands. */
class SnapshotTest extends IntegrationTest {

    @Autowired
    CommandGateway commands;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DealViews views;

    @Test
    void aDealWithThousandsOfEventsLoadsFromASnapshot() {
        String id = UUID.randomUUID().toString();
        commands.sendAndWait(new CreateDeal(id, "default", null, "Busy deal", Money.of(BigDecimal.ONE, "EUR"), null, null, null, null, null),
                Actor.metaData("t"));
        for (int i = 0; i < 3000; i++) {
            commands.sendAndWait(new LogActivity(id, "a" + i, ActivityKind.NOTE, "note " + i), Actor.metaData("t"));
        }
        Long snapshotAt = jdbc.queryForObject("select max(sequencenumber) from snapshotevententry where aggregateidentifier = ?", Long.class, id);
        assertTrue(snapshotAt != null && snapshotAt >= 2900, "snapshots taken as the deal grows: " + snapshotAt);

        commands.sendAndWait(new MoveDealToStage(id, "demo", 3000L), Actor.metaData("t"));
        commands.sendAndWait(new WinDeal(id, null), Actor.metaData("t"));
        DealView view = views.find(id).orElseThrow();
        assertEquals("WON", view.status());
        assertEquals("demo", view.stageId());
        assertEquals(3002, view.version());
    }
}
