package io.dealflow.gateway;

import io.dealflow.gateway.routes.ApiRoute;
import io.dealflow.gateway.routes.RouteTable;
import io.dealflow.trust.Scope;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generated from the route table: every path it routes × GET, HEAD, POST, PUT, PATCH, DELETE × every spelling of the
 * path × every kind of token, against the decision the table implies — and, for every request let through, that the
 * downstream received that very method and path, and for every refusal that it received nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"dealflow.auth.hs256-secret=" + Tokens.SECRET, "dealflow.rate-limit.enabled=false"})
class AuthorizationMatrixTest extends StandInDownstreams {

    static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

    @LocalServerPort
    int port;
    private final RouteTable table = new RouteTable();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();


    /** A token and the scopes it proves; {@code null} scopes: the token is not valid at all. */
    record Caller(String name, String token, Set<String> scopes) {
    }

    /** One way of writing a path; {@code canonical} when the gateway must treat it as the path itself. */
    record Variant(String name, UnaryOperator<String> spell, boolean canonical) {
    }

    static List<Caller> callers() {
        List<Caller> callers = new ArrayList<>();
        callers.add(new Caller("no token", null, null));
        callers.add(new Caller("expired", Tokens.sign(Tokens.SECRET, "late", allScopes(), Instant.now().minusSeconds(120)), null));
        callers.add(new Caller("wrong signature", Tokens.sign("another-secret-that-is-long-enough-for-hs256-xyz", "eve", allScopes(),
                Instant.now().plusSeconds(600)), null));
        callers.add(new Caller("no scopes", Tokens.token("nobody", ""), Set.of()));
        for (Scope scope : Scope.values()) {
            callers.add(new Caller(scope.value(), Tokens.token("only-" + scope.name(), scope.value()), Set.of(scope.value())));
        }
        callers.add(new Caller("all scopes", Tokens.token("everyone", allScopes()), Set.of(allScopes().split(" "))));
        return callers;
    }

    static String allScopes() {
        return String.join(" ", java.util.Arrays.stream(Scope.values()).map(Scope::value).toList());
    }

    static List<Variant> variants() {
        return List.of(
                new Variant("canonical", p -> p, true),
                new Variant("trailing slash", p -> p + "/", false),
                new Variant("double slash", p -> p.replaceFirst("^/api/", "/api//"), false),
                new Variant("upper case", p -> p.replaceFirst("^/api/", "/API/"), true),
                new Variant(";params", p -> p + ";jsessionid=1", false),
                new Variant(";params inside", p -> p.replaceFirst("^/api/", "/api;x=1/"), false),
                new Variant("encoded slash", p -> p.replaceFirst("^/api/", "/api%2F"), false),
                new Variant("encoded dot segment", p -> p.replaceFirst("^/api/", "/api/%2e/"), false),
                new Variant("dot segment", p -> p.replaceFirst("^/api/", "/api/./"), false),
                new Variant("dot-dot segment", p -> p.replaceFirst("^/api/", "/api/x/../"), false),
                new Variant("encoded backslash", p -> p.replaceFirst("^/api/", "/api%5C"), false));
    }

    /** The distinct paths the table forwards, each as a concrete example. */
    List<String> forwardedPaths() {
        Set<String> paths = new LinkedHashSet<>();
        for (ApiRoute route : table.routes()) {
            if (!route.target().equals(RouteTable.GATEWAY)) {
                paths.add(route.examplePath());
            }
        }
        return new ArrayList<>(paths);
    }

    /** What the gateway must answer, from the table alone. */
    int expected(String method, String path, Variant variant, Caller caller) {
        if (!variant.canonical()) {
            return 400;
        }
        if (caller.token() != null && caller.scopes() == null) {
            return 401; // a bad token is refused wherever it is presented, even on a public path
        }
        var route = table.find(HttpMethod.valueOf(method), path);
        if (route.isPresent() && route.get().isPublic()) {
            return 200;
        }
        if (caller.scopes() == null) {
            return 401;
        }
        if (route.isEmpty()) {
            return table.methodsOn(path).isEmpty() ? 404 : 405;
        }
        return caller.scopes().contains(route.get().scope().value()) ? 200 : 403;
    }

    @Test
    void everyRouteMethodSpellingAndTokenGetsTheTablesDecision() throws Exception {
        List<String> paths = forwardedPaths();
        assertTrue(paths.size() >= 25, "the table routes every API path: " + paths);
        Map<String, Integer> decisions = new LinkedHashMap<>();
        List<String> wrong = new ArrayList<>();
        int forwarded = 0;
        for (String path : paths) {
            for (Variant variant : variants()) {
                String spelled = variant.spell().apply(path);
                for (String method : METHODS) {
                    for (Caller caller : callers()) {
                        int want = expected(method, variant.name().equals("upper case") ? spelled : path, variant, caller);
                        String requestId = "m-" + UUID.randomUUID();
                        String what = method + " " + spelled + " [" + variant.name() + ", " + caller.name() + "]";
                        HttpResponse<String> response;
                        try {
                            response = send(method, spelled, caller.token(), requestId);
                        } catch (java.io.IOException e) {
                            wrong.add(what + ": " + e);
                            continue;
                        }
                        decisions.merge(String.valueOf(response.statusCode()), 1, Integer::sum);
                        if (response.statusCode() != want) {
                            wrong.add(what + ": " + response.statusCode() + " instead of " + want + " " + response.body());
                            continue;
                        }
                        FakeDownstream.Received received = receivedWith(requestId);
                        if (want == 200) {
                            forwarded++;
                            // the docs routes rewrite the path to the service's own OpenAPI path
                            boolean rewritten = table.find(HttpMethod.valueOf(method), path).map(ApiRoute::isPublic).orElse(false);
                            if (received == null || !received.method().equals(method) || !(rewritten || received.path().equals(spelled))) {
                                wrong.add(what + ": let through but the downstream got " + received);
                            }
                        } else {
                            if (received != null) {
                                wrong.add(what + ": refused with " + want + " yet forwarded");
                            }
                            if (!method.equals("HEAD") && !response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
                                wrong.add(what + ": refusal is not problem+json");
                            }
                        }
                    }
                }
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " wrong decisions, e.g.\n" + String.join("\n", wrong.subList(0, Math.min(20, wrong.size()))));
        assertTrue(forwarded > 0 && decisions.keySet().containsAll(List.of("200", "400", "401", "403", "404", "405")), decisions.toString());
    }

    @Test
    void aTokenWithoutScopesGetsNothingButRefusals() throws Exception {
        String none = Tokens.token("nobody", "");
        for (String path : List.of("/api/v1/velocity/?pipelineId=default", "/api/v1/trends/?pipelineId=default",
                "/api/v1/analytics/freshness/", "/api/v1/analytics/reconciliation/", "/api/v1/velocity?pipelineId=default",
                "/api/v1/deals", "/api/v1/funnel", "/api/v1/funnel/phases", "/api/v1/forecast/backtest")) {
            for (String method : METHODS) {
                int status = send(method, path, none, "n-" + UUID.randomUUID()).statusCode();
                assertTrue(status >= 400 && status < 500, method + " " + path + " -> " + status);
            }
        }
    }

    @Test
    void optionsIsOnlyACorsPreflight() throws Exception {
        HttpResponse<String> plain = send("OPTIONS", "/api/v1/deals", Tokens.token("everyone", allScopes()), "o-1");
        assertEquals(405, plain.statusCode(), plain.body());
        assertTrue(receivedWith("o-1") == null);
    }

    private FakeDownstream.Received receivedWith(String requestId) {
        for (FakeDownstream downstream : List.of(PIPELINE, ANALYTICS)) {
            for (FakeDownstream.Received received : downstream.received) {
                List<String> ids = received.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("X-Request-Id"))
                        .findFirst().map(Map.Entry::getValue).orElse(List.of());
                if (ids.contains(requestId)) {
                    return received;
                }
            }
        }
        return null;
    }

    private HttpResponse<String> send(String method, String path, String token, String requestId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(2)).header("X-Request-Id", requestId)
                // a connection per request (allowed by the surefire argLine): every decision stands on its own
                .header("Connection", "close");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
