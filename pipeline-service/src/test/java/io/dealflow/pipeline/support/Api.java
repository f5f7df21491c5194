package io.dealflow.pipeline.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.dealflow.trust.IdentitySignature;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A plain HTTP client for the REST tests: what a front end sends, what it gets back. */
public final class Api {

    public static final String ALL_SCOPES = "deals:read deals:write analytics:read admin";

    public record Reply(int status, String contentType, String etag, String location, JsonNode body) {
        public String type() {
            return body == null || body.get("type") == null ? null : body.get("type").asText();
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final int port;

    public Api(int port) {
        this.port = port;
    }

    /**
     * Calls as the gateway would relay it: signed for {@code X-DealFlow-Subject} when the headers name one (else
     * "tester") with every scope.
     */
    public Reply call(String method, String path, String body, String... headers) throws IOException, InterruptedException {
        String subject = "tester";
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase(IdentitySignature.SUBJECT_HEADER)) {
                subject = headers[i + 1];
            }
        }
        return callAs(subject, ALL_SCOPES, method, path, body, headers);
    }

    /** Calls with the identity the gateway relays for this subject and these scopes. */
    public Reply callAs(String subject, String scopes, String method, String path, String body, String... headers)
            throws IOException, InterruptedException {
        String rawPath = URI.create(path).getRawPath();
        String[] signed = {IdentitySignature.SUBJECT_HEADER, subject, IdentitySignature.SCOPES_HEADER, scopes,
                IdentitySignature.SIGNATURE_HEADER, GatewaySecret.SIGNATURE.sign(method, rawPath, subject, scopes)};
        return unsigned(method, path, body, concat(signed, withoutIdentity(headers)));
    }

    /** Calls without going through the gateway: only the given headers. */
    public Reply unsigned(String method, String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .setHeader("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase("Content-Type")) {
                request.setHeader(headers[i], headers[i + 1]);
            } else {
                request.header(headers[i], headers[i + 1]);
            }
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String text = response.body();
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.headers().firstValue("ETag").orElse(null), response.headers().firstValue("Location").orElse(null),
                text.isBlank() ? null : json.readTree(text));
    }

    private static String[] withoutIdentity(String[] headers) {
        java.util.List<String> kept = new java.util.ArrayList<>();
        for (int i = 0; i < headers.length; i += 2) {
            if (!headers[i].regionMatches(true, 0, "X-DealFlow-", 0, 11)) {
                kept.add(headers[i]);
                kept.add(headers[i + 1]);
            }
        }
        return kept.toArray(String[]::new);
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    public Reply get(String path) throws IOException, InterruptedException {
        return call("GET", path, null);
    }

    public Reply post(String path, String body, String... headers) throws IOException, InterruptedException {
        return call("POST", path, body, headers);
    }

    /** Creates a deal and returns its id; fails the test on anything but 201. */
    public String createDeal(String body) throws IOException, InterruptedException {
        Reply reply = post("/api/v1/deals", body);
        if (reply.status() != 201) {
            throw new AssertionError("create failed: " + reply.status() + " " + reply.body());
        }
        return reply.body().get("dealId").asText();
    }
}
