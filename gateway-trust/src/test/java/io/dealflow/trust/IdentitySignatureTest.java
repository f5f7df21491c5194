package io.dealflow.trust;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdentitySignatureTest {

    static final String SECRET = "a-secret-shared-by-gateway-and-services";
    static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    static IdentitySignature at(Instant instant, String secret) {
        return new IdentitySignature(secret, Clock.fixed(instant, ZoneOffset.UTC), Duration.ofSeconds(60));
    }

    @Test
    void theServiceBelievesWhatTheGatewaySigned() {
        String signature = at(NOW, SECRET).sign("POST", "/api/v1/deals", "alice", "deals:write deals:read");
        RelayedIdentity identity = at(NOW.plusSeconds(5), SECRET)
                .verify("POST", "/api/v1/deals", "alice", "deals:write deals:read", signature).orElseThrow();
        assertEquals("alice", identity.subject());
        assertEquals(Set.of("deals:write", "deals:read"), identity.scopes());
        assertTrue(identity.has(Scope.DEALS_WRITE));
    }

    @Test
    void anythingChangedOrMissingIsRefused() {
        IdentitySignature service = at(NOW, SECRET);
        String signature = service.sign("GET", "/api/v1/deals", "alice", "deals:read");
        assertTrue(service.verify("GET", "/api/v1/deals", "alice", "deals:read admin", signature).isEmpty(), "more scopes");
        assertTrue(service.verify("GET", "/api/v1/deals", "mallory", "deals:read", signature).isEmpty(), "another subject");
        assertTrue(service.verify("POST", "/api/v1/deals", "alice", "deals:read", signature).isEmpty(), "another method");
        assertTrue(service.verify("GET", "/api/v1/admin/store-counts", "alice", "deals:read", signature).isEmpty(), "another path");
        assertTrue(service.verify("GET", "/api/v1/deals", "alice", "deals:read", null).isEmpty(), "no signature");
        assertTrue(service.verify("GET", "/api/v1/deals", "alice", "deals:read", "garbage").isEmpty(), "not a signature");
        assertTrue(service.verify("GET", "/api/v1/deals", "alice", "deals:read", "x.y").isEmpty(), "no time");
        assertTrue(service.verify("GET", "/api/v1/deals", null, "deals:read", signature).isEmpty(), "no subject");
        String forged = at(NOW, "another-secret-of-sufficient-length-0000").sign("GET", "/api/v1/deals", "alice", "deals:read");
        assertTrue(service.verify("GET", "/api/v1/deals", "alice", "deals:read", forged).isEmpty(), "another secret");
    }

    @Test
    void aSignatureGoesStale() {
        String signature = at(NOW, SECRET).sign("GET", "/api/v1/deals", "alice", "deals:read");
        assertTrue(at(NOW.plusSeconds(61), SECRET).verify("GET", "/api/v1/deals", "alice", "deals:read", signature).isEmpty());
        assertTrue(at(NOW.minusSeconds(61), SECRET).verify("GET", "/api/v1/deals", "alice", "deals:read", signature).isEmpty());
        assertTrue(at(NOW.plusSeconds(59), SECRET).verify("GET", "/api/v1/deals", "alice", "deals:read", signature).isPresent());
    }

    @Test
    void aShortSecretIsRefusedAtStart() {
        assertThrows(IllegalStateException.class, () -> at(NOW, "short"));
        assertThrows(IllegalStateException.class, () -> at(NOW, null));
    }
}
