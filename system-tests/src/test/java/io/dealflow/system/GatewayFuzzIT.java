package io.dealflow.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile input through the gateway into the real services: over a thousand generated requests, each a valid request
 * with one thing broken (malformed, huge or deeply nested JSON, NUL and control characters, out-of-range numbers and
 * dates, wrong content types, hostile headers and query values). Every answer must be a 4xx problem without internals,
 * and afterwards the store holds exactly what it held before. Also: the services refuse whatever does not come through
 * the gateway, and listen on the loopback interface only.
 */
class GatewayFuzzIT {

    private static final int REQUESTS = 1200;
    private static final Pattern INTERNALS = Pattern.compile(
            "Exception|\\bat (io|org|java|com)\\.|java\\.|javax\\.|org\\.springframework|io\\.micronaut|\\[L|com\\.fasterxml|SQL|jdbc",
            Pattern.CASE_INSENSITIVE);
    private static DealFlowSystem system;
    private static final String ADMIN = DealFlowSystem.token("fuzz-admin", DealFlowSystem.ALL_SCOPES);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        system = DealFlowSystem.start();
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    /** One generated request: what was tried, and how it is sent. */
    record Attempt(String what, String method, String path, String contentType, byte[] body, List<String> headers) {
    }

    @Test
    void malformedRequestsGetProblemsAndStoreNothing() throws Exception {
        String deal = createDeal();
        long eventsBefore = storedEvents();
        List<Attempt> attempts = generate(new Random(20261202), deal);
        assertTrue(attempts.size() >= 1000, "attempts: " + attempts.size());
        List<String> wrong = new ArrayList<>();
        int i = 0;
        for (Attempt attempt : attempts) {
            // a token per fifty requests keeps each client under the rate limit
            String token = DealFlowSystem.token("fuzz-" + (i++ / 50), DealFlowSystem.ALL_SCOPES);
            HttpResponse<String> response;
            try {
                response = send(attempt, token);
            } catch (java.io.IOException e) {
                wrong.add(attempt.what() + ": " + e);
                continue;
            }
            int status = response.statusCode();
            String body = response.body();
            if (status < 400 || status >= 500) {
                wrong.add(attempt.what() + " -> " + status + " " + abbreviate(body));
            } else if (!attempt.method().equals("HEAD") && !body.isEmpty()
                    && !response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
                wrong.add(attempt.what() + " -> " + status + " is not problem+json: " + abbreviate(body));
            } else if (INTERNALS.matcher(body).find()) {
                wrong.add(attempt.what() + " -> " + status + " shows internals: " + abbreviate(body));
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + attempts.size() + " answers wrong, e.g.\n"
                + String.join("\n", wrong.subList(0, Math.min(25, wrong.size()))));
        assertEquals(eventsBefore, storedEvents(), "nothing was stored");
        JsonNode kept = json.readTree(send(new Attempt("read", "GET", "/api/v1/deals/" + deal, null, null, List.of()), ADMIN).body());
        assertEquals("Fuzz target", kept.get("title").asText(), "the deal is as it was");
        assertEquals("100.00", kept.get("amount").get("value").asText());
    }

    @Test
    void headersBeyondTheLimitAre431() throws Exception {
        URI gateway = URI.create(system.gateway());
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(10_000);
            String request = "POST /api/v1/deals HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ADMIN
                    + "\r\nX-Padding: " + "p".repeat(40_000) + "\r\nContent-Length: 1\r\n\r\n[";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertEquals("HTTP/1.1 431 Request Header Fields Too Large", status);
        }
    }

    @Test
    void theServicesRefuseWhatDidNotComeThroughTheGateway() throws Exception {
        for (String url : List.of("http://127.0.0.1:" + system.pipelinePort + "/api/v1/deals",
                "http://127.0.0.1:" + system.pipelinePort + "/api/v1/admin/store-counts",
                "http://127.0.0.1:" + system.analyticsPort + "/api/v1/funnel?pipelineId=default",
                "http://127.0.0.1:" + system.analyticsPort + "/api/v1/analytics/reconciliation")) {
            HttpResponse<String> direct = http.send(HttpRequest.newBuilder(URI.create(url)).header("X-DealFlow-Subject", "mallory")
                    .header("X-DealFlow-Scopes", DealFlowSystem.ALL_SCOPES).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, direct.statusCode(), url + ": " + direct.body());
        }
        HttpResponse<String> reconciliation = send(new Attempt("reconcile", "GET", "/api/v1/analytics/reconciliation", null, null, List.of()), ADMIN);
        assertEquals(200, reconciliation.statusCode(), "the analytics service asks pipeline-service over the signed channel: " + reconciliation.body());
        for (InetAddress address : nonLoopbackAddresses()) {
            for (int port : List.of(system.pipelinePort, system.analyticsPort)) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(address, port), 500);
                    throw new AssertionError("a service listens on " + address + ":" + port);
                } catch (java.io.IOException expected) {
                    // refused: the service is bound to 127.0.0.1 only
                }
            }
        }
    }

    private static List<InetAddress> nonLoopbackAddresses() throws Exception {
        List<InetAddress> addresses = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                nic.inetAddresses().filter(a -> a instanceof Inet4Address).forEach(addresses::add);
            }
        }
        return addresses;
    }

    private String createDeal() throws Exception {
        HttpResponse<String> created = send(new Attempt("create", "POST", "/api/v1/deals", "application/json",
                "{\"title\": \"Fuzz target\", \"amount\": {\"value\": \"100.00\", \"currency\": \"EUR\"}}".getBytes(StandardCharsets.UTF_8),
                List.of()), ADMIN);
        assertEquals(201, created.statusCode(), created.body());
        return json.readTree(created.body()).get("dealId").asText();
    }

    private long storedEvents() throws Exception {
        JsonNode counts = json.readTree(send(new Attempt("counts", "GET", "/api/v1/admin/store-counts?limit=50000", null, null, List.of()), ADMIN).body());
        long total = 0;
        for (JsonNode aggregate : counts.get("aggregates")) {
            total += aggregate.get("events").asLong();
        }
        return total;
    }

    private HttpResponse<String> send(Attempt attempt, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(system.gateway() + attempt.path()))
                .method(attempt.method(), attempt.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(attempt.body()))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30));
        if (attempt.contentType() != null) {
            request.header("Content-Type", attempt.contentType());
        }
        for (int h = 0; h < attempt.headers().size(); h += 2) {
            request.header(attempt.headers().get(h), attempt.headers().get(h + 1));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    // ---- generation: a valid request, then exactly one thing broken ----

    private static final String VALID_DEAL = "{\"title\": \"T\", \"amount\": {\"value\": \"10.00\", \"currency\": \"EUR\"}, \"ownerId\": \"o\"}";
    private static final List<String> NASTY_TEXT = List.of("\u0000", "a\u0000b", "\u0007\u0008\u001b[2J", "\ud800", "\udfff\ud800",
            "\u202e\u0000", "x\u0085", "\u007f");
    private static final List<String> BAD_AMOUNTS = List.of("\"1e999999\"", "\"-1e400\"", "\"NaN\"", "\"Infinity\"", "1e309", "\"\"",
            "\"12,50\"", "\"0x10\"", "\"1" + "0".repeat(400) + "\"", "true", "[]", "{}", "\"10.00 EUR\"", "-0.000000000000000000001e-99999");
    private static final List<String> BAD_DATES = List.of("\"9999-99-99\"", "\"+1000000000-01-01\"", "\"0000-00-00\"", "\"2026-02-30\"",
            "\"-999999999-01-01\"", "\"2026-13-01\"", "\"tomorrow\"", "20260101", "\"2026-01-01T25:00:00Z\"", "\"\\u0000\"");
    private static final List<String> BAD_QUERIES = List.of("not-a-date", "9999999999-01-01T00:00:00Z", "-1", "99999999999999999999",
            "1e9x", "%00", "' or 1=1 --", "\u0000", "2026-02-30", "NaN", "[]", "a".repeat(3000));

    private List<Attempt> generate(Random random, String deal) {
        List<Function<Random, Attempt>> kinds = new ArrayList<>();
        String dealPath = "/api/v1/deals/" + deal;
        // bodies that are not JSON, or JSON of the wrong shape
        kinds.add(r -> postDeal("truncated JSON", VALID_DEAL.substring(0, 1 + r.nextInt(VALID_DEAL.length() - 2))));
        kinds.add(r -> postDeal("random bytes", randomBytes(r, 1 + r.nextInt(300))));
        kinds.add(r -> postDeal("JSON of the wrong type", pick(r, List.of("null", "[]", "42", "\"deal\"", "true", "[{}]", "{}"))));
        kinds.add(r -> postDeal("deeply nested", "{\"title\": " + "[".repeat(2000 + r.nextInt(20000)) + "]".repeat(10) + "}"));
        kinds.add(r -> postDeal("deeply nested objects", "{\"x\":".repeat(5000) + "1" + "}".repeat(5000)));
        kinds.add(r -> postDeal("over the body limit", "{\"title\": \"" + "x".repeat(1_100_000) + "\"}"));
        kinds.add(r -> postDeal("a title of 200,000 characters", VALID_DEAL.replace("\"T\"", "\"" + "y".repeat(200_000) + "\"")));
        kinds.add(r -> postDeal("unknown field", VALID_DEAL.replace("{\"title\"", "{\"" + pick(r, List.of("dealId", "version", "__proto__", "status", "\u0000")) + "\": 1, \"title\"")));
        kinds.add(r -> postDeal("duplicate field", VALID_DEAL.replace("{\"title\": \"T\",", "{\"title\": \"T\", \"title\": \"U\",").replace("\"ownerId\": \"o\"", "\"ownerId\": \"o\", \"ownerId\": 5")));
        // strings with NUL and control characters
        kinds.add(r -> postDeal("control characters in the title", VALID_DEAL.replace("\"T\"", jsonString(pick(r, NASTY_TEXT)))));
        kinds.add(r -> postDeal("control characters in the owner", VALID_DEAL.replace("\"o\"", jsonString(pick(r, NASTY_TEXT) + "x"))));
        kinds.add(r -> postDeal("control characters in the currency", VALID_DEAL.replace("\"EUR\"", jsonString(pick(r, NASTY_TEXT)))));
        kinds.add(r -> new Attempt("move to a stage with control characters", "POST", dealPath + "/moves", "application/json",
                ("{\"stageId\": " + jsonString(pick(r, NASTY_TEXT)) + "}").getBytes(StandardCharsets.UTF_8), List.of()));
        kinds.add(r -> new Attempt("activity with a bad kind", "POST", dealPath + "/activities", "application/json",
                ("{\"kind\": " + jsonString(pick(r, NASTY_TEXT)) + ", \"note\": \"n\"}").getBytes(StandardCharsets.UTF_8), List.of()));
        // numbers and dates out of range
        kinds.add(r -> postDeal("amount out of range", VALID_DEAL.replace("\"10.00\"", pick(r, BAD_AMOUNTS))));
        kinds.add(r -> postDeal("close date out of range", VALID_DEAL.replace("}, \"ownerId\"", "}, \"expectedCloseDate\": " + pick(r, BAD_DATES) + ", \"ownerId\"")));
        kinds.add(r -> new Attempt("patch with an amount out of range", "PATCH", dealPath, "application/merge-patch+json",
                ("{\"amount\": {\"value\": " + pick(r, BAD_AMOUNTS) + ", \"currency\": \"EUR\"}}").getBytes(StandardCharsets.UTF_8), List.of()));
        kinds.add(r -> new Attempt("patch with a date out of range", "PATCH", dealPath, "application/json",
                ("{\"expectedCloseDate\": " + pick(r, BAD_DATES) + "}").getBytes(StandardCharsets.UTF_8), List.of()));
        kinds.add(r -> new Attempt("patch of a field that cannot change", "PATCH", dealPath, "application/json",
                ("{\"" + pick(r, List.of("stageId", "status", "version", "dealId", "pipelineId")) + "\": \"x\"}").getBytes(StandardCharsets.UTF_8), List.of()));
        kinds.add(r -> new Attempt("pipeline with stages out of range", "POST", "/api/v1/pipelines", "application/json",
                ("{\"id\": \"fz" + r.nextInt(1000) + "\", \"name\": \"F\", \"stages\": [{\"id\": \"a\", \"name\": \"A\", \"probability\": "
                        + pick(r, List.of("101", "-1", "1e99", "\"x\"", "null", "99999999999999999999")) + ", \"phase\": \"AWARENESS\"}]}")
                        .getBytes(StandardCharsets.UTF_8), List.of()));
        // wrong content types
        kinds.add(r -> new Attempt("wrong content type", "POST", "/api/v1/deals",
                pick(r, List.of("text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
                        "application/json; charset=bogus-charset", "image/png", "*/*")),
                VALID_DEAL.getBytes(StandardCharsets.UTF_8), List.of()));
        kinds.add(r -> new Attempt("no content type", "POST", "/api/v1/deals", null, VALID_DEAL.getBytes(StandardCharsets.UTF_8), List.of()));
        kinds.add(r -> new Attempt("UTF-16 body declared as JSON", "POST", "/api/v1/deals", "application/json; charset=utf-16",
                VALID_DEAL.replace("\"T\"", "\"\u0000\"").getBytes(StandardCharsets.UTF_16LE), List.of()));
        // hostile headers
        kinds.add(r -> new Attempt("hostile If-Match", "POST", dealPath + "/moves", "application/json",
                "{\"stageId\": \"demo\"}".getBytes(StandardCharsets.UTF_8),
                List.of("If-Match", pick(r, List.of("\"-1\"", "\"99999999999999999999999\"", "W/\"x\"", "\"1\", \"2\"", "\"" + "9".repeat(300) + "\"", "\"abc\"")))));
        kinds.add(r -> postDeal("hostile Idempotency-Key", VALID_DEAL, "Idempotency-Key", pick(r, List.of("k".repeat(5000), " ", "\t"))));
        kinds.add(r -> new Attempt("spoofed identity with a body that is not JSON", "POST", "/api/v1/deals", "application/json",
                "{".getBytes(StandardCharsets.UTF_8), List.of("X-DealFlow-Subject", "root", "X-DealFlow-Scopes", "admin", "X-DealFlow-Signature", "1.x")));
        kinds.add(r -> postDeal("a long header and a broken body", "[", "X-Padding", "p".repeat(1_000 + r.nextInt(5_000))));
        kinds.add(r -> postDeal("forwarded headers with a broken body", "{\"title\":", "X-Forwarded-For", "127.0.0.1, ::::, <script>", "X-Forwarded-Host", "evil.example"));
        // query values out of range or malformed
        kinds.add(r -> query("/api/v1/funnel?pipelineId=default&" + pick(r, List.of("from", "to", "at")) + "=", pick(r, BAD_QUERIES)));
        kinds.add(r -> query("/api/v1/forecast?pipelineId=default&" + pick(r, List.of("months", "lookbackDays", "commitProbability")) + "=", pick(r, BAD_QUERIES)));
        kinds.add(r -> query("/api/v1/forecast/backtest?pipelineId=default&months=", pick(r, BAD_QUERIES)));
        kinds.add(r -> query("/api/v1/velocity?pipelineId=default&" + pick(r, List.of("from", "to", "groupBy")) + "=", pick(r, BAD_QUERIES)));
        kinds.add(r -> query("/api/v1/trends?pipelineId=default&interval=", pick(r, BAD_QUERIES)));
        kinds.add(r -> query("/api/v1/waterfall?pipelineId=default&" + pick(r, List.of("from", "to")) + "=", pick(r, BAD_QUERIES)));
        kinds.add(r -> query("/api/v1/funnel/board?pipelineId=default&at=", pick(r, BAD_QUERIES)));
        kinds.add(r -> query("/api/v1/deals?" + pick(r, List.of("limit", "minAmount", "maxAmount", "closeFrom", "closeTo", "cursor", "sort", "order", "status")) + "=",
                pick(r, BAD_QUERIES)));
        kinds.add(r -> query("/api/v1/analytics/reconciliation?maxDifferences=", pick(r, BAD_QUERIES)));
        kinds.add(r -> query("/api/v1/funnel?pipelineId=", pick(r, List.of("%00", "\u0000", "no-such-pipeline-" + r.nextInt()))));
        List<Attempt> attempts = new ArrayList<>();
        while (attempts.size() < REQUESTS) {
            for (Function<Random, Attempt> kind : kinds) {
                attempts.add(kind.apply(random));
            }
        }
        return attempts;
    }

    private static Attempt postDeal(String what, String body, String... headers) {
        return new Attempt(what + ": " + abbreviate(body), "POST", "/api/v1/deals", "application/json",
                body.getBytes(StandardCharsets.UTF_8), List.of(headers));
    }

    private static Attempt postDeal(String what, byte[] body) {
        return new Attempt(what, "POST", "/api/v1/deals", "application/json", body, List.of());
    }

    private static Attempt query(String prefix, String value) {
        return new Attempt("query " + prefix + abbreviate(value), "GET", prefix + URLEncoder.encode(value, StandardCharsets.UTF_8), null, null, List.of());
    }

    private static String pick(Random random, List<String> options) {
        return options.get(random.nextInt(options.size()));
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
