package io.dealflow.pipeline.deal;

import io.dealflow.pipeline.support.Api.Reply;
import io.dealflow.pipeline.support.Api;
import io.dealflow.pipeline.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Input that once slipped through as stored garbage: each is now a 400 and leaves the store as it was. */
class HostileInputTest extends IntegrationTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    private long storedEvents() {
        return jdbc.queryForObject("select count(*) from domainevententry", Long.class);
    }

    @Test
    void controlCharactersOutOfRangeDatesAndInexactNumbersAreRefused() throws Exception {
        Api api = new Api(port);
        String id = api.createDeal("{\"title\": \"Kept\", \"amount\": {\"value\": \"100.00\", \"currency\": \"EUR\"}, \"expectedCloseDate\": \"2027-01-31\"}");
        long before = storedEvents();
        List<String> creates = List.of(
                "{\"title\": \"a\\u0000b\", \"amount\": {\"value\": \"1.00\", \"currency\": \"EUR\"}}",
                "{\"title\": \"\\u0007bell\", \"amount\": {\"value\": \"1.00\", \"currency\": \"EUR\"}}",
                "{\"title\": \"\\ud800\", \"amount\": {\"value\": \"1.00\", \"currency\": \"EUR\"}}",
                "{\"title\": \"T\", \"ownerId\": \"o\\u001b[2J\", \"amount\": {\"value\": \"1.00\", \"currency\": \"EUR\"}}",
                "{\"title\": \"T\", \"amount\": {\"value\": \"1.00\", \"currency\": \"EUR\"}, \"expectedCloseDate\": \"-999999999-01-01\"}",
                "{\"title\": \"T\", \"amount\": {\"value\": \"1.00\", \"currency\": \"EUR\"}, \"expectedCloseDate\": 20260101}",
                "{\"title\": \"T\", \"amount\": {\"value\": \"1.00\", \"currency\": \"EUR\"}, \"expectedCloseDate\": \"\"}",
                "{\"title\": \"T\", \"amount\": {\"value\": \"1e999999999\", \"currency\": \"EUR\"}}");
        for (String body : creates) {
            Reply reply = api.post("/api/v1/deals", body, "Idempotency-Key", "hostile-" + body.hashCode());
            assertEquals(400, reply.status(), body + " -> " + reply.body());
            assertTrue(reply.contentType().startsWith("application/problem+json"));
        }
        for (String patch : List.of("{\"amount\": {\"value\": -0.000000000000000000001e-99999, \"currency\": \"EUR\"}}",
                "{\"amount\": {\"value\": 0.001, \"currency\": \"EUR\"}}", "{\"title\": \"x\\u0000\"}", "{\"expectedCloseDate\": \"+12026-01-01\"}")) {
            Reply reply = api.call("PATCH", "/api/v1/deals/" + id, patch);
            assertEquals(400, reply.status(), patch + " -> " + reply.body());
        }
        for (String query : List.of("maxAmount=-1", "minAmount=5&maxAmount=1", "closeFrom=2027-02-01&closeTo=2027-01-01")) {
            assertEquals(400, api.get("/api/v1/deals?" + query).status(), query);
        }
        assertEquals(before, storedEvents(), "nothing was stored");
        Reply kept = api.get("/api/v1/deals/" + id);
        assertEquals("Kept", kept.body().get("title").asText());
        assertEquals("100.00", kept.body().get("amount").get("value").asText());
        assertEquals("2027-01-31", kept.body().get("expectedCloseDate").asText());
        assertFalse(kept.body().toString().contains("\\u0000"));
    }
}
