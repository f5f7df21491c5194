package io.dealflow.pipeline.web;

import io.dealflow.pipeline.rules.Rule;
import org.springframework.http.HttpStatus;

import java.net.URI;

/** The stable problem types this service answers with (RFC 9457 {@code type}). */
public enum Problem {
    MALFORMED_REQUEST(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request"),
    VALIDATION(HttpStatus.BAD_REQUEST, "validation-failed", "Invalid input"),
    INVALID_AMOUNT(HttpStatus.BAD_REQUEST, "invalid-amount", "Invalid amount"),
    UNKNOWN_STAGE(HttpStatus.UNPROCESSABLE_ENTITY, "unknown-stage", "Stage not in the deal's pipeline"),
    UNKNOWN_LOST_REASON(HttpStatus.UNPROCESSABLE_ENTITY, "unknown-lost-reason", "Lost reason not in the pipeline's catalogue"),
    DEAL_NOT_FOUND(HttpStatus.NOT_FOUND, "deal-not-found", "Deal not found"),
    PIPELINE_NOT_FOUND(HttpStatus.NOT_FOUND, "pipeline-not-found", "Pipeline not found"),
    PIPELINE_EXISTS(HttpStatus.CONFLICT, "pipeline-exists", "Pipeline already exists"),
    STAGE_IN_USE(HttpStatus.CONFLICT, "stage-in-use", "Stage still holds deals"),
    IDEMPOTENCY_KEY_REUSED(HttpStatus.UNPROCESSABLE_ENTITY, "idempotency-key-reused", "Idempotency-Key used with another request"),
    DEAL_CLOSED(HttpStatus.CONFLICT, "deal-closed", "Deal is closed"),
    DEAL_OPEN(HttpStatus.CONFLICT, "deal-open", "Deal is open"),
    CONCURRENT_MODIFICATION(HttpStatus.CONFLICT, "concurrent-modification", "Deal changed concurrently"),
    VERSION_MISMATCH(HttpStatus.PRECONDITION_FAILED, "version-mismatch", "Deal version does not match If-Match"),
    NOT_VIA_GATEWAY(HttpStatus.UNAUTHORIZED, "unauthorized", "Not called through the gateway"),
    FORBIDDEN(HttpStatus.FORBIDDEN, "forbidden", "Missing scope"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "not-found", "Not found"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type"),
    PUBLISHER_NOT_RESET(HttpStatus.CONFLICT, "publisher-not-reset", "Publisher not reset"),
    IMPORT_NOT_FOUND(HttpStatus.NOT_FOUND, "import-not-found", "Import not found"),
    IMPORT_FINISHED(HttpStatus.CONFLICT, "import-finished", "Import already finished"),
    IMPORT_TOO_LARGE(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", "Import too large"),
    IDEMPOTENCY_KEY_REQUIRED(HttpStatus.BAD_REQUEST, "idempotency-key-required", "Idempotency-Key required"),
    INTERNAL(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error");

    private static final String BASE = "https://dealflow.io/problems/";

    private final HttpStatus status;
    private final String slug;
    private final String title;

    Problem(HttpStatus status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    /** The problem a broken rule of the domain is answered with. */
    public static Problem of(Rule rule) {
        return switch (rule) {
            case INVALID_INPUT -> VALIDATION;
            case INVALID_AMOUNT -> INVALID_AMOUNT;
            case UNKNOWN_STAGE -> UNKNOWN_STAGE;
            case UNKNOWN_LOST_REASON -> UNKNOWN_LOST_REASON;
            case PIPELINE_NOT_FOUND -> PIPELINE_NOT_FOUND;
            case STAGE_IN_USE -> STAGE_IN_USE;
            case DEAL_CLOSED -> DEAL_CLOSED;
            case DEAL_OPEN -> DEAL_OPEN;
        };
    }

    public HttpStatus status() {
        return status;
    }

    public URI type() {
        return URI.create(BASE + slug);
    }

    public String title() {
        return title;
    }
}
