package io.dealflow.bench.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plays deal plans against the public REST API (through the gateway), as a CRM front end would. */
public final class ApiClient {

    private static final int MAX_ATTEMPTS = 30;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String baseUrl;
    private final String token;

    public ApiClient(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    public JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = send(request(path).GET().build());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    /** Posts a history file to {@code POST /api/v1/imports} under {@code key}; the job as first answered (202, or 200 when known). */
    public JsonNode startImport(byte[] ndjson, String key, String mode) throws IOException, InterruptedException {
        HttpResponse<String> response = send(request("/api/v1/imports?mode=" + mode).POST(HttpRequest.BodyPublishers.ofByteArray(ndjson))
                .header("Content-Type", "application/x-ndjson").header("Idempotency-Key", key).build());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("POST /api/v1/imports answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    /** Polls the import until it has finished; its final state. */
    public JsonNode awaitImport(String importId, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode job = get("/api/v1/imports/" + importId);
            String status = job.get("status").asText();
            if (status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED")) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("import " + importId + " still " + status + " after " + timeout);
            }
            Thread.sleep(100);
        }
    }

    public JsonNode post(String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = send(request(path).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().isBlank() ? null : json.readTree(response.body());
    }

    /** Sends, and when the gateway's rate limit refuses the request (429, nothing done), waits as told and sends again. */
    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 429 || attempt == MAX_ATTEMPTS) {
                return response;
            }
            long seconds = response.headers().firstValue("Retry-After").map(ApiClient::seconds).orElse(1L);
            Thread.sleep(Duration.ofSeconds(seconds).toMillis());
        }
    }

    private static long seconds(String retryAfter) {
        try {
            return Math.max(0, Math.min(60, Long.parseLong(retryAfter.strip())));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        if (token != null && !token.isBlank()) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }
}
