package io.dealflow.pipeline.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A plain HTTP client for the REST tests: what a front end sends, what it gets back. */
public final class Api {

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

    public Reply call(String method, String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String text = response.body();
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.headers().firstValue("ETag").orElse(null), response.headers().firstValue("Location").orElse(null),
                text.isBlank() ? null : json.readTree(text));
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
