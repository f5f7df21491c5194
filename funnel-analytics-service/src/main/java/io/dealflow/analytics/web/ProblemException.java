package io.dealflow.analytics.web;

import io.micronaut.http.HttpStatus;

/** A request that cannot be answered, with a stable problem type slug (RFC 9457). */
public class ProblemException extends RuntimeException {

    private final HttpStatus status;
    private final String slug;

    public ProblemException(HttpStatus status, String slug, String detail) {
        super(detail);
        this.status = status;
        this.slug = slug;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(HttpStatus.BAD_REQUEST, "invalid-query", detail);
    }

    public HttpStatus status() {
        return status;
    }

    public String slug() {
        return slug;
    }
}
