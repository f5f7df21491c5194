package io.dealflow.bench.run;

import io.dealflow.trust.IdentitySignature;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Closed-loop HTTP load: N clients on keep-alive connections, each sending its next request as soon as the previous
 * answered, for a fixed time. Latency in microseconds into an HdrHistogram.
 */
final class HttpLoad {

    /** What a client sends next: method, path and body (null for GET). */
    record Call(String method, String path, String body) {
    }

    private final String baseUrl;
    private final String token;
    private final IdentitySignature relay;

    /** Calls through the gateway with a bearer token. */
    HttpLoad(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.relay = null;
    }

    /** Calls a service straight, with the identity signed as the gateway relays it. */
    HttpLoad(String baseUrl, IdentitySignature relay) {
        this.baseUrl = baseUrl;
        this.token = null;
        this.relay = relay;
    }

    static final String SUBJECT = "bench";
    static final String SCOPES = "deals:read deals:write analytics:read admin";

    static HttpRequest.Builder relayed(IdentitySignature relay, HttpRequest.Builder request, String method, String rawPath) {
        relayedHeaders(relay, method, rawPath).forEach(request::header);
        return request;
    }

    /** The headers of a call: the bearer token, or the identity signed as the gateway relays it. */
    private Map<String, String> headers(Call call) {
        Map<String, String> headers = new HashMap<>();
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        if (relay != null) {
            headers.putAll(relayedHeaders(relay, call.method(), URI.create(baseUrl + call.path()).getRawPath()));
        }
        return headers;
    }

    static Map<String, String> relayedHeaders(IdentitySignature relay, String method, String rawPath) {
        return Map.of(IdentitySignature.SUBJECT_HEADER, SUBJECT, IdentitySignature.SCOPES_HEADER, SCOPES,
                IdentitySignature.SIGNATURE_HEADER, relay.sign(method, rawPath, SUBJECT, SCOPES));
    }

    Latency run(String name, int clients, Duration duration, IntFunction<Call> nextCall) throws Exception {
        Histogram histogram = new Histogram(60_000_000L, 3);
        AtomicLong errors = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<String> firstError = new java.util.concurrent.atomic.AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long end = System.nanoTime() + duration.toNanos();
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        // a keep-alive connection per client
        LoadClient http = new LoadClient(clients);
        for (int c = 0; c < clients; c++) {
            int client = c;
            workers.add(pool.submit(() -> {
                Histogram own = new Histogram(60_000_000L, 3);
                int i = 0;
                while (System.nanoTime() < end) {
                    Call call = nextCall.apply(client * 1_000_000 + i++);
                    Map<String, String> headers = headers(call);
                    long t0 = System.nanoTime();
                    try {
                        LoadClient.Answer answer = http.send(call.method(), baseUrl + call.path(), headers, call.body());
                        if (answer.status() >= 400) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, answer.status() + " " + answer.body());
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                    }
                    own.recordValue(Math.min(60_000_000L, (System.nanoTime() - t0) / 1000));
                }
                synchronized (histogram) {
                    histogram.add(own);
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        http.close();
        if (firstError.get() != null) {
            System.out.println("  first error of '" + name + "': " + firstError.get().substring(0, Math.min(300, firstError.get().length())));
        }
        return Latency.of(name, histogram, (System.nanoTime() - start) / 1e9, errors.get());
    }
}
