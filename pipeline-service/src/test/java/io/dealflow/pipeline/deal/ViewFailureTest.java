package io.dealflow.pipeline.deal;

import io.dealflow.pipeline.support.Api;
import io.dealflow.pipeline.support.Api.Reply;
import io.dealflow.pipeline.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A command whose view cannot be written fails as a whole: no event stored, no 2xx. The fault is a real one: the
 * database refuses the view's row through a check constraint added for the test.
 */
class ViewFailureTest extends IntegrationTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    private long events() {
        return jdbc.queryForObject("select count(*) from domainevententry", Long.class);
    }

    @Test
    void aViewTheDatabaseRefusesFailsTheCreateAndStoresNothing() throws Exception {
        String title = "refused-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.execute("alter table deal_view add constraint refuse_view_create check (title <> '" + title + "')");
        try {
            long before = events();
            Reply reply = new Api(port).post("/api/v1/deals",
                    "{\"title\": \"" + title + "\", \"amount\": {\"value\": \"10.00\", \"currency\": \"EUR\"}, \"source\": \"" + title + "\"}");
            assertEquals(500, reply.status(), String.valueOf(reply.body()));
            assertTrue(reply.contentType().startsWith("application/problem+json"));
            assertEquals(before, events(), "the event was rolled back with its view");
            assertEquals(0, new Api(port).get("/api/v1/deals?source=" + title).body().get("items").size());
        } finally {
            jdbc.execute("alter table deal_view drop constraint refuse_view_create");
        }
    }

    @Test
    void aMoveWhoseViewFailsLeavesTheDealWhereItWas() throws Exception {
        String title = "stuck-" + UUID.randomUUID().toString().substring(0, 8);
        Api api = new Api(port);
        String dealId = api.createDeal("{\"title\": \"" + title + "\", \"amount\": {\"value\": \"10.00\", \"currency\": \"EUR\"}}");
        jdbc.execute("alter table deal_view add constraint refuse_view_move check (not (title = '" + title + "' and stage_id = 'demo'))");
        try {
            Reply moved = api.post("/api/v1/deals/" + dealId + "/moves", "{\"stageId\": \"demo\"}");
            assertEquals(500, moved.status(), String.valueOf(moved.body()));
            Reply deal = api.get("/api/v1/deals/" + dealId);
            assertEquals("lead", deal.body().get("stageId").asText());
            assertEquals(1, api.get("/api/v1/deals/" + dealId + "/history").body().get("events").size(),
                    "only the creation is stored");
        } finally {
            jdbc.execute("alter table deal_view drop constraint refuse_view_move");
        }
        assertEquals(200, api.post("/api/v1/deals/" + dealId + "/moves", "{\"stageId\": \"demo\"}").status(),
                "the same move goes through once the view can be written");
    }
}
