package io.dealflow.analytics.web;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds RFC 9457 problem+json responses. */
public final class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String BASE = "https://dealflow.io/problems/";

    private Problems() {
    }

    public static MutableHttpResponse<Map<String, Object>> of(HttpStatus status, String slug, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type(slug));
        body.put("title", status.getReason());
        body.put("status", status.getCode());
        body.put("detail", detail);
        return HttpResponse.<Map<String, Object>>status(status).contentType(MEDIA_TYPE).body(body);
    }

    public static String type(String slug) {
        return BASE + slug;
    }

    public static String slugFor(int status) {
        return switch (status) {
            case 400 -> "malformed-request";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "payload-too-large";
            case 415 -> "unsupported-media-type";
            default -> status >= 500 ? "internal-error" : "client-error";
        };
    }
}
