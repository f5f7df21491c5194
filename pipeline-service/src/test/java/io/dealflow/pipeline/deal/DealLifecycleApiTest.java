package io.dealflow.pipeline.deal;

import com.fasterxml.jackson.databind.JsonNode;
import io.dealflow.pipeline.support.Api;
import io.dealflow.pipeline.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Update, reopen, activities, history, idempotent creation and the deal list, through the REST API. */
class DealLifecycleApiTest extends IntegrationTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    private Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    private String deal(String extra) throws Exception {
        return deal("100.00", extra);
    }

    private String deal(String amount, String extra) throws Exception {
        return api.createDeal("{\"title\": \"Lifecycle\", \"amount\": {\"value\": \"" + amount + "\", \"currency\": \"EUR\"}" + extra + "}");
    }

    @Test
    void patchChangesNamedFieldsHonorsIfMatchAndShowsInTheHistory() throws Exception {
        String id = deal(", \"ownerId\": \"alice\", \"company\": \"ACME\"");
        Api.Reply patched = api.call("PATCH", "/api/v1/deals/" + id,
                "{\"amount\": {\"value\": \"250.50\", \"currency\": \"EUR\"}, \"ownerId\": \"bob\", \"company\": null}",
                "If-Match", "\"0\"", "X-DealFlow-Subject", "carol");
        assertEquals(200, patched.status(), String.valueOf(patched.body()));
        assertEquals("250.50", patched.body().get("amount").get("value").asText());
        assertEquals("bob", patched.body().get("ownerId").asText());
        assertNull(patched.body().get("company"), "null clears an optional field");
        assertEquals("Lifecycle", patched.body().get("title").asText(), "unnamed fields stay");
        assertEquals("\"1\"", patched.etag());

        assertEquals(412, api.call("PATCH", "/api/v1/deals/" + id, "{\"title\": \"x\"}", "If-Match", "\"0\"").status());
        Api.Reply noChange = api.call("PATCH", "/api/v1/deals/" + id, "{\"ownerId\": \"bob\"}");
        assertEquals("\"1\"", noChange.etag(), "a patch that changes nothing stores nothing");

        String[][] bad = {
                {"{\"stageId\": \"demo\"}", "validation-failed"},
                {"{\"title\": 5}", "validation-failed"},
                {"{\"title\": null}", "validation-failed"},
                {"{\"amount\": {\"value\": \"-1\", \"currency\": \"EUR\"}}", "invalid-amount"},
                {"{\"amount\": \"lots\"}", "invalid-amount"},
                {"{\"expectedCloseDate\": \"31/01/2027\"}", "validation-failed"},
                {"[1, 2]", "validation-failed"},
                {"{}", "validation-failed"},
        };
        for (String[] attempt : bad) {
            Api.Reply reply = api.call("PATCH", "/api/v1/deals/" + id, attempt[0]);
            assertEquals(400, reply.status(), attempt[0] + " -> " + reply.body());
            assertEquals("https://dealflow.io/problems/" + attempt[1], reply.type(), attempt[0]);
        }

        JsonNode events = api.get("/api/v1/deals/" + id + "/history").body().get("events");
        assertEquals(2, events.size(), "bad patches stored nothing");
        assertEquals("CREATED", events.get(0).get("type").asText());
        assertEquals("UPDATED", events.get(1).get("type").asText());
        assertEquals("carol", events.get(1).get("actor").asText());
        assertEquals("100.00 EUR", events.get(1).get("changes").get("amount").get("from").asText());
        assertEquals("250.50 EUR", events.get(1).get("changes").get("amount").get("to").asText());
        assertEquals("ACME", events.get(1).get("changes").get("company").get("from").asText());
        assertTrue(events.get(1).get("changes").get("company").get("to").isNull());
    }

    @Test
    void twoConflictingWritersNeverBothApply() throws Exception {
        String id = deal("");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Api.Reply>> writers = List.of(
                    () -> api.post("/api/v1/deals/" + id + "/moves", "{\"stageId\": \"demo\"}", "If-Match", "\"0\""),
                    () -> api.post("/api/v1/deals/" + id + "/moves", "{\"stageId\": \"proposal\"}", "If-Match", "\"0\""));
            List<Integer> statuses = new ArrayList<>();
            for (Future<Api.Reply> reply : pool.invokeAll(writers)) {
                statuses.add(reply.get().status());
            }
            statuses.sort(Integer::compareTo);
            assertTrue(statuses.equals(List.of(200, 409)) || statuses.equals(List.of(200, 412)), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, api.get("/api/v1/deals/" + id + "/history").body().get("events").size(), "exactly one move stored");
    }

    @Test
    void reopenAndActivitiesFollowTheRules() throws Exception {
        String id = deal("");
        Api.Reply activity = api.post("/api/v1/deals/" + id + "/activities", "{\"kind\": \"CALL\", \"note\": \"intro\"}");
        assertEquals(201, activity.status());
        assertTrue(activity.body().get("lastActivityAt") != null);
        assertEquals(400, api.post("/api/v1/deals/" + id + "/activities", "{\"kind\": \"FAX\"}").status());

        Api.Reply openReopen = api.post("/api/v1/deals/" + id + "/reopen", "{}");
        assertEquals(409, openReopen.status());
        assertEquals("https://dealflow.io/problems/deal-open", openReopen.type());

        api.post("/api/v1/deals/" + id + "/moves", "{\"stageId\": \"demo\"}");
        api.post("/api/v1/deals/" + id + "/loss", "{\"reason\": \"Timing\"}");
        assertEquals(409, api.post("/api/v1/deals/" + id + "/activities", "{\"kind\": \"NOTE\"}").status(), "closed deals accept only reopen");
        assertEquals(409, api.call("PATCH", "/api/v1/deals/" + id, "{\"title\": \"x\"}").status());
        assertEquals(422, api.post("/api/v1/deals/" + id + "/reopen", "{\"stageId\": \"nowhere\"}").status());

        Api.Reply reopened = api.post("/api/v1/deals/" + id + "/reopen", "{\"stageId\": \"qualified\"}");
        assertEquals(200, reopened.status(), String.valueOf(reopened.body()));
        assertEquals("OPEN", reopened.body().get("status").asText());
        assertEquals("qualified", reopened.body().get("stageId").asText());
        assertNull(reopened.body().get("lostReason"));

        List<String> types = new ArrayList<>();
        api.get("/api/v1/deals/" + id + "/history").body().get("events").forEach(e -> types.add(e.get("type").asText()));
        assertEquals(List.of("CREATED", "ACTIVITY_LOGGED", "MOVED", "LOST", "REOPENED"), types);
    }

    @Test
    void idempotencyKeyGivesOneDealPerKeyAndBody() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = "{\"title\": \"Once\", \"amount\": {\"value\": \"10.00\", \"currency\": \"EUR\"}, \"ownerId\": \"idem-" + key + "\"}";
        Api.Reply first = api.post("/api/v1/deals", body, "Idempotency-Key", key);
        Api.Reply again = api.post("/api/v1/deals", body.replace(" ", ""), "Idempotency-Key", key);
        assertEquals(201, first.status());
        assertEquals(201, again.status());
        assertEquals(first.body().get("dealId"), again.body().get("dealId"));
        Api.Reply other = api.post("/api/v1/deals", body.replace("Once", "Twice"), "Idempotency-Key", key);
        assertEquals(422, other.status());
        assertEquals("https://dealflow.io/problems/idempotency-key-reused", other.type());
        assertEquals(1, api.get("/api/v1/deals?ownerId=idem-" + key).body().get("items").size());

        // Concurrent retries with one key: still one deal.
        String racingKey = UUID.randomUUID().toString();
        String racingBody = body.replace("idem-" + key, "race-" + racingKey);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Api.Reply>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(() -> api.post("/api/v1/deals", racingBody, "Idempotency-Key", racingKey));
            }
            Set<String> ids = new HashSet<>();
            for (Future<Api.Reply> reply : pool.invokeAll(calls)) {
                assertEquals(201, reply.get().status(), String.valueOf(reply.get().body()));
                ids.add(reply.get().body().get("dealId").asText());
            }
            assertEquals(1, ids.size());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, api.get("/api/v1/deals?ownerId=race-" + racingKey).body().get("items").size());
    }

    @Test
    void listFiltersSortsAndPagesWithACursor() throws Exception {
        String owner = "list-" + UUID.randomUUID();
        String[] amounts = {"50.00", "400.00", "100.00", "300.00", "200.00"};
        for (int i = 0; i < amounts.length; i++) {
            deal(amounts[i], ", \"ownerId\": \"%s\", \"source\": \"%s\", \"expectedCloseDate\": \"2027-0%d-15\"".formatted(owner, i % 2 == 0 ? "web" : "event", i + 1));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Api.Reply page = api.get("/api/v1/deals?ownerId=" + owner + "&sort=amount&order=desc&limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertEquals(200, page.status(), String.valueOf(page.body()));
            page.body().get("items").forEach(d -> seen.add(d.get("amount").get("value").asText()));
            cursor = page.body().has("nextCursor") ? page.body().get("nextCursor").asText() : null;
        } while (cursor != null);
        assertEquals(List.of("400.00", "300.00", "200.00", "100.00", "50.00"), seen);

        assertEquals(3, api.get("/api/v1/deals?ownerId=" + owner + "&source=web").body().get("items").size());
        assertEquals(3, api.get("/api/v1/deals?ownerId=" + owner + "&minAmount=100&maxAmount=300").body().get("items").size());
        assertEquals(2, api.get("/api/v1/deals?ownerId=" + owner + "&closeFrom=2027-02-01&closeTo=2027-03-31").body().get("items").size());
        assertEquals(5, api.get("/api/v1/deals?ownerId=" + owner + "&status=OPEN&pipelineId=default").body().get("items").size());

        assertEquals(400, api.get("/api/v1/deals?sort=colour").status());
        assertEquals(400, api.get("/api/v1/deals?cursor=not-a-cursor").status());
        assertEquals(400, api.get("/api/v1/deals?limit=0").status());
        assertEquals(400, api.get("/api/v1/deals?minAmount=lots").status());
        assertEquals(400, api.get("/api/v1/deals?status=MAYBE").status());
    }
}
