package io.dealflow.system;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An OAuth 2.0 authorization server reduced to what a public client with PKCE needs: {@code /authorize} signs in the
 * one user it knows and redirects back with a code; {@code /token} hands out a bearer token only for that code, the same
 * client and redirect URI, and a {@code code_verifier} whose SHA-256 is the {@code code_challenge} it was given.
 */
final class FakeIdentityProvider implements AutoCloseable {

    private record Grant(String clientId, String redirectUri, String challenge) {
    }

    private final HttpServer server;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final String subject;
    private final String scopes;
    volatile int tokensIssued;
    volatile int tokensRefused;

    FakeIdentityProvider(String subject, String scopes) throws IOException {
        this.subject = subject;
        this.scopes = scopes;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> q = form(exchange.getRequestURI().getRawQuery());
        if (!"code".equals(q.get("response_type")) || !"S256".equals(q.get("code_challenge_method")) || q.get("code_challenge") == null) {
            answer(exchange, 400, "{\"error\": \"invalid_request\"}");
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(q.get("client_id"), q.get("redirect_uri"), q.get("code_challenge")));
        exchange.getResponseHeaders().add("Location", q.get("redirect_uri") + "?code=" + code + "&state="
                + URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8));
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
        Map<String, String> f = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Grant grant = codes.remove(String.valueOf(f.get("code")));
        boolean valid = grant != null && "authorization_code".equals(f.get("grant_type"))
                && grant.clientId().equals(f.get("client_id")) && grant.redirectUri().equals(f.get("redirect_uri"))
                && f.get("code_verifier") != null && grant.challenge().equals(s256(f.get("code_verifier")));
        if (!valid) {
            tokensRefused++;
            answer(exchange, 400, "{\"error\": \"invalid_grant\"}");
            return;
        }
        tokensIssued++;
        answer(exchange, 200, "{\"access_token\": \"" + DealFlowSystem.token(subject, scopes) + "\", \"token_type\": \"Bearer\","
                + " \"expires_in\": 3600, \"scope\": \"" + scopes + "\"}");
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw == null) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
