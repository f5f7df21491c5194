package io.dealflow.pipeline.access;

import io.dealflow.pipeline.support.Api.Reply;
import io.dealflow.pipeline.support.Api;
import io.dealflow.pipeline.support.GatewaySecret;
import io.dealflow.pipeline.support.IntegrationTest;
import io.dealflow.trust.IdentitySignature;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The service's own check of the identity the gateway relays: whatever did not come through the gateway is refused. */
class GatewayAccessTest extends IntegrationTest {

    private static final String DEAL = """
            {"title": "Direct", "amount": {"value": "10.00", "currency": "EUR"}}""";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    private long storedEvents() {
        return jdbc.queryForObject("select count(*) from domainevententry", Long.class);
    }

    private static void assertProblem(Reply reply, int status, String slug) {
        assertEquals(status, reply.status(), String.valueOf(reply.body()));
        assertTrue(reply.contentType().startsWith("application/problem+json"), reply.contentType());
        assertEquals("https://dealflow.io/problems/" + slug, reply.type());
    }

    @Test
    void aRequestThatDidNotComeThroughTheGatewayIsRefusedAndStoresNothing() throws Exception {
        Api api = new Api(port);
        long before = storedEvents();
        assertProblem(api.unsigned("POST", "/api/v1/deals", DEAL), 401, "unauthorized");
        assertProblem(api.unsigned("POST", "/api/v1/deals", DEAL, "X-DealFlow-Subject", "mallory", "X-DealFlow-Scopes", "admin deals:write"),
                401, "unauthorized");
        String forged = new IdentitySignature("not-the-gateways-secret-but-long-enough", Clock.systemUTC(), Duration.ofSeconds(60))
                .sign("POST", "/api/v1/deals", "mallory", "deals:write");
        assertProblem(api.unsigned("POST", "/api/v1/deals", DEAL, "X-DealFlow-Subject", "mallory", "X-DealFlow-Scopes", "deals:write",
                "X-DealFlow-Signature", forged), 401, "unauthorized");
        String forAnotherPath = GatewaySecret.SIGNATURE.sign("GET", "/api/v1/deals", "alice", "deals:write");
        assertProblem(api.unsigned("POST", "/api/v1/deals", DEAL, "X-DealFlow-Subject", "alice", "X-DealFlow-Scopes", "deals:write",
                "X-DealFlow-Signature", forAnotherPath), 401, "unauthorized");
        String stale = new IdentitySignature(GatewaySecret.VALUE, Clock.fixed(Instant.now().minusSeconds(300), ZoneOffset.UTC),
                Duration.ofSeconds(60)).sign("POST", "/api/v1/deals", "alice", "deals:write");
        assertProblem(api.unsigned("POST", "/api/v1/deals", DEAL, "X-DealFlow-Subject", "alice", "X-DealFlow-Scopes", "deals:write",
                "X-DealFlow-Signature", stale), 401, "unauthorized");
        assertProblem(api.unsigned("GET", "/api/v1/deals/", null), 401, "unauthorized");
        assertProblem(api.unsigned("GET", "/api/v1/admin/store-counts", null), 401, "unauthorized");
        assertEquals(before, storedEvents(), "nothing was stored");
        assertEquals(200, api.unsigned("GET", "/actuator/health", null).status(), "health stays open for probes");
    }

    @Test
    void eachOperationChecksItsScope() throws Exception {
        Api api = new Api(port);
        long before = storedEvents();
        assertProblem(api.callAs("reader", "deals:read", "POST", "/api/v1/deals", DEAL), 403, "forbidden");
        assertProblem(api.callAs("nobody", "", "GET", "/api/v1/deals", null), 403, "forbidden");
        assertProblem(api.callAs("writer", "deals:write", "GET", "/api/v1/deals", null), 403, "forbidden");
        assertProblem(api.callAs("analyst", "analytics:read deals:read deals:write", "POST", "/api/v1/admin/republish", null), 403, "forbidden");
        assertProblem(api.callAs("analyst", "deals:read", "GET", "/api/v1/admin/store-counts", null), 403, "forbidden");
        assertEquals(before, storedEvents(), "nothing was stored");
        assertEquals(200, api.callAs("reader", "deals:read", "GET", "/api/v1/deals", null).status());
        assertEquals(200, api.callAs("reader", "deals:read", "HEAD", "/api/v1/deals", null).status(), "HEAD follows GET");
        assertEquals(201, api.callAs("writer", "deals:write deals:read", "POST", "/api/v1/deals", DEAL).status());
        assertEquals(200, api.callAs("root", "admin", "GET", "/api/v1/admin/store-counts", null).status());
    }

    @Test
    void everyApiOperationNamesItsScope() {
        List<String> unguarded = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> mapping : mappings.getHandlerMethods().entrySet()) {
            boolean api = mapping.getKey().getPatternValues().stream().anyMatch(p -> p.startsWith("/api/"));
            if (api && !mapping.getValue().hasMethodAnnotation(RequiresScope.class)) {
                unguarded.add(mapping.getKey().toString());
            }
        }
        assertTrue(unguarded.isEmpty(), "operations without @RequiresScope (refused to everybody): " + unguarded);
        assertTrue(mappings.getHandlerMethods().size() > 15);
    }
}
