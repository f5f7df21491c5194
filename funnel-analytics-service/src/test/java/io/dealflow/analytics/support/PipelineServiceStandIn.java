package io.dealflow.analytics.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** An HTTP server standing in for pipeline-service's admin endpoints: each path answers what its route returns. */
public final class PipelineServiceStandIn implements AutoCloseable {

    public record Answer(int status, String json) {
    }

    @FunctionalInterface
    public interface Route {
        Answer answer(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;

    public PipelineServiceStandIn(Map<String, Route> routes) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        routes.forEach((path, route) -> server.createContext(path, exchange -> {
            Answer answer = route.answer(exchange);
            byte[] body = answer.json().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
