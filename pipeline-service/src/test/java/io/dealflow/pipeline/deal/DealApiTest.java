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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DealApiTest extends IntegrationTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    private Reply call(String method, String path, String body, String... headers) throws Exception {
        return new Api(port).call(method, path, body, headers);
    }

    private String newDeal(String title) throws Exception {
        Reply created = call("POST", "/api/v1/deals", """
                {"title": "%s", "amount": {"value": "1200.00", "currency": "EUR"}, "ownerId": "alice", "source": "web",
                 "expectedCloseDate": "2027-01-31", "company": "ACME", "contact": "Jane Roe"}""".formatted(title),
                "X-DealFlow-Subject", "alice");
        assertEquals(201, created.status(), String.valueOf(created.body()));
        return created.body().get("dealId").asText();
    }

    private long storedEvents() {
        return jdbc.queryForObject("select count(*) from domainevententry", Long.class);
    }

    @Test
    void createReadMoveWinWithVersionsAndActor() throws Exception {
        Reply created = call("POST", "/api/v1/deals", """
                {"title": "ACME rollout", "amount": {"value": "1200.00", "currency": "EUR"}, "ownerId": "alice"}""",
                "X-DealFlow-Subject", "alice");
        assertEquals(201, created.status());
        String id = created.body().get("dealId").asText();
        assertEquals("/api/v1/deals/" + id, created.location());
        assertEquals("\"0\"", created.etag());
        assertEquals("lead", created.body().get("stageId").asText());
        assertEquals("1200.00", created.body().get("amount").get("value").asText());
        assertEquals("OPEN", created.body().get("status").asText());

        Reply moved = call("POST", "/api/v1/deals/" + id + "/moves", "{\"stageId\": \"demo\"}", "If-Match", "\"0\"");
        assertEquals(200, moved.status());
        assertEquals("demo", moved.body().get("stageId").asText());
        assertEquals("\"1\"", moved.etag());

        Reply stale = call("POST", "/api/v1/deals/" + id + "/moves", "{\"stageId\": \"proposal\"}", "If-Match", "\"0\"");
        assertEquals(412, stale.status());
        assertEquals("https://dealflow.io/problems/version-mismatch", stale.body().get("type").asText());
        assertEquals(1, stale.body().get("currentVersion").asLong());

        Reply won = call("POST", "/api/v1/deals/" + id + "/win", null);
        assertEquals(200, won.status());
        assertEquals("WON", won.body().get("status").asText());

        Reply read = call("GET", "/api/v1/deals/" + id, null);
        assertEquals("\"2\"", read.etag());
        assertEquals("WON", read.body().get("status").asText());

        String actor = new String(jdbc.queryForObject(
                "select metadata from domainevententry where aggregateidentifier = ? and sequencenumber = 0", byte[].class, id));
        assertTrue(actor.contains("\"actor\":\"alice\""), actor);
    }

    @Test
    void losesWithACatalogueReason() throws Exception {
        String id = newDeal("Lost cause");
        Reply lost = call("POST", "/api/v1/deals/" + id + "/loss", "{\"reason\": \"Price\", \"note\": \"cheaper elsewhere\"}");
        assertEquals(200, lost.status());
        assertEquals("LOST", lost.body().get("status").asText());
        assertEquals("Price", lost.body().get("lostReason").asText());
    }

    @Test
    void badInputGetsProblemJsonAndStoresNothing() throws Exception {
        String id = newDeal("Guarded");
        long before = storedEvents();

        String[][] attempts = {
                // method, path, body, expected status, expected problem type
                {"POST", "/api/v1/deals", "{\"title\": \"x\", \"amount\": {\"value\": \"-5\", \"currency\": \"EUR\"}}", "400", "invalid-amount"},
                {"POST", "/api/v1/deals", "{\"title\": \"x\", \"amount\": {\"value\": \"5.001\", \"currency\": \"EUR\"}}", "400", "invalid-amount"},
                {"POST", "/api/v1/deals", "{\"title\": \"x\", \"amount\": {\"value\": \"5\", \"currency\": \"ZZZ\"}}", "400", "invalid-amount"},
                {"POST", "/api/v1/deals", "{\"amount\": {\"value\": \"5\", \"currency\": \"EUR\"}}", "400", "validation-failed"},
                {"POST", "/api/v1/deals", "{\"title\": \"" + "t".repeat(201) + "\", \"amount\": {\"value\": \"5\", \"currency\": \"EUR\"}}", "400", "validation-failed"},
                {"POST", "/api/v1/deals", "{\"title\": 42, \"amount\": {\"value\": \"5\", \"currency\": \"EUR\"}}", "400", "malformed-request"},
                {"POST", "/api/v1/deals", "{\"title\": \"x\", \"amount\": {\"value\": \"5\", \"currency\": \"EUR\"}, \"colour\": {\"r\": 1}}", "400", "malformed-request"},
                {"POST", "/api/v1/deals", "{\"title\": \"x\", \"amount\": ", "400", "malformed-request"},
                {"POST", "/api/v1/deals", "{\"title\": \"x\", \"amount\": {\"value\": \"5\", \"currency\": \"EUR\"}, \"expectedCloseDate\": \"soon\"}", "400", "malformed-request"},
                {"POST", "/api/v1/deals", "{\"title\": \"x\", \"amount\": {\"value\": \"5\", \"currency\": \"EUR\"}, \"stageId\": \"nowhere\"}", "422", "unknown-stage"},
                {"POST", "/api/v1/deals", "{\"title\": \"x\", \"amount\": {\"value\": \"5\", \"currency\": \"EUR\"}, \"pipelineId\": \"nope\"}", "404", "pipeline-not-found"},
                {"POST", "/api/v1/deals/" + id + "/moves", "{\"stageId\": \"nowhere\"}", "422", "unknown-stage"},
                {"POST", "/api/v1/deals/" + id + "/moves", "{}", "400", "validation-failed"},
                {"POST", "/api/v1/deals/" + id + "/moves", "{\"stageId\": \"demo\"}", "400", "validation-failed", "If-Match", "yesterday"},
                {"POST", "/api/v1/deals/" + id + "/loss", "{\"reason\": \"Aliens\"}", "422", "unknown-lost-reason"},
                {"POST", "/api/v1/deals/" + UUID.randomUUID() + "/win", null, "404", "deal-not-found"},
                {"GET", "/api/v1/deals/" + UUID.randomUUID(), null, "404", "deal-not-found"},
        };
        for (String[] attempt : attempts) {
            Reply reply = attempt.length > 5
                    ? call(attempt[0], attempt[1], attempt[2], attempt[5], attempt[6])
                    : call(attempt[0], attempt[1], attempt[2]);
            String what = attempt[0] + " " + attempt[1] + " " + attempt[2];
            assertEquals(Integer.parseInt(attempt[3]), reply.status(), what + " -> " + reply.body());
            assertTrue(reply.contentType().startsWith("application/problem+json"), what + " content type " + reply.contentType());
            assertNotNull(reply.body().get("type"), what);
            assertEquals("https://dealflow.io/problems/" + attempt[4], reply.body().get("type").asText(), what);
            assertTrue(reply.body().toString().indexOf("Exception") < 0, what + " leaks an exception: " + reply.body());
        }
        assertEquals(before, storedEvents(), "no bad request may store an event");

        Reply moveToCurrent = call("POST", "/api/v1/deals/" + id + "/moves", "{\"stageId\": \"lead\"}");
        assertEquals(200, moveToCurrent.status());
        assertEquals(before, storedEvents(), "moving to the current stage stores nothing");

        call("POST", "/api/v1/deals/" + id + "/win", null);
        Reply closed = call("POST", "/api/v1/deals/" + id + "/moves", "{\"stageId\": \"demo\"}");
        assertEquals(409, closed.status());
        assertEquals("https://dealflow.io/problems/deal-closed", closed.body().get("type").asText());
    }

    @Test
    void listsDealsWithACursor() throws Exception {
        String owner = "owner-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            call("POST", "/api/v1/deals", "{\"title\": \"d%d\", \"amount\": {\"value\": \"1\", \"currency\": \"USD\"}, \"ownerId\": \"%s\"}".formatted(i, owner));
        }
        Reply first = call("GET", "/api/v1/deals?ownerId=" + owner + "&limit=2", null);
        assertEquals(2, first.body().get("items").size());
        String cursor = first.body().get("nextCursor").asText();
        Reply second = call("GET", "/api/v1/deals?ownerId=" + owner + "&limit=2&cursor=" + cursor, null);
        assertEquals(1, second.body().get("items").size());
        assertTrue(second.body().get("nextCursor") == null);
    }
}
