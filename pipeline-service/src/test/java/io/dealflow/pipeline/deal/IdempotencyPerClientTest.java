package io.dealflow.pipeline.deal;

import io.dealflow.pipeline.support.Api.Reply;
import io.dealflow.pipeline.support.Api;
import io.dealflow.pipeline.support.IntegrationTest;
import io.dealflow.pipeline.support.MutableClock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Idempotency-Keys belong to one client, treat equal amounts as equal, and expire after their time to live. */
@Import(MutableClock.Config.class)
@TestPropertySource(properties = "dealflow.idempotency.ttl=24h")
class IdempotencyPerClientTest extends IntegrationTest {

    @LocalServerPort
    int port;
    @Autowired
    MutableClock clock;

    private static String body(String owner, String amount) {
        return "{\"title\": \"Keyed\", \"amount\": {\"value\": \"" + amount + "\", \"currency\": \"EUR\"}, \"ownerId\": \"" + owner + "\"}";
    }

    private Reply create(String subject, String key, String body) throws Exception {
        return new Api(port).post("/api/v1/deals", body, "Idempotency-Key", key, "X-DealFlow-Subject", subject);
    }

    @Test
    void twoClientsWithOneKeyGetTwoDeals() throws Exception {
        String key = "shared-" + UUID.randomUUID();
        Reply alice = create("alice", key, body("o1", "10.00"));
        Reply bob = create("bob", key, body("o2", "99.00"));
        assertEquals(201, alice.status());
        assertEquals(201, bob.status(), "bob's key is not alice's key: " + bob.body());
        assertNotEquals(alice.body().get("dealId"), bob.body().get("dealId"));
        assertEquals("99.00", bob.body().get("amount").get("value").asText());
    }

    @Test
    void aRetryWithAnEquivalentAmountReplays() throws Exception {
        String key = "retry-" + UUID.randomUUID();
        Reply first = create("carol", key, body("o3", "10.0"));
        Reply retry = create("carol", key, body("o3", "10.00"));
        assertEquals(201, retry.status(), String.valueOf(retry.body()));
        assertEquals(first.body().get("dealId"), retry.body().get("dealId"));
        Reply changed = create("carol", key, body("o3", "10.01"));
        assertEquals(422, changed.status(), "a different amount is a different request");
        assertEquals("https://dealflow.io/problems/idempotency-key-reused", changed.type());
    }

    @Test
    void aKeyExpiresAfterItsTimeToLive() throws Exception {
        String key = "ttl-" + UUID.randomUUID();
        Reply first = create("dave", key, body("o4", "5.00"));
        clock.advance(Duration.ofHours(23));
        assertEquals(first.body().get("dealId"), create("dave", key, body("o4", "5.00")).body().get("dealId"), "still remembered at 23 h");
        clock.advance(Duration.ofHours(2));
        Reply later = create("dave", key, body("o4", "5.00"));
        assertEquals(201, later.status());
        assertNotEquals(first.body().get("dealId"), later.body().get("dealId"), "after 24 h the key is new again");
    }
}
