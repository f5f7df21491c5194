package io.dealflow.pipeline.web;

import io.dealflow.pipeline.rules.RuleBroken;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.lang.NonNull;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Every error leaves as RFC 9457 problem+json with a stable type; never a stack trace. */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<ProblemDetail> onProblem(ProblemException e) {
        ProblemDetail body = detail(e.problem(), e.getMessage());
        e.properties().forEach(body::setProperty);
        return ResponseEntity.status(e.problem().status()).body(body);
    }

    @ExceptionHandler(RuleBroken.class)
    ResponseEntity<ProblemDetail> onRuleBroken(RuleBroken e) {
        Problem problem = Problem.of(e.rule());
        ProblemDetail body = detail(problem, e.getMessage());
        e.properties().forEach(body::setProperty);
        return ResponseEntity.status(problem.status()).body(body);
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ResponseEntity<ProblemDetail> onNotFound(AggregateNotFoundException e) {
        return respond(Problem.DEAL_NOT_FOUND, "No deal with id " + e.getAggregateIdentifier());
    }

    @ExceptionHandler(ConflictingAggregateVersionException.class)
    ResponseEntity<ProblemDetail> onVersionMismatch(ConflictingAggregateVersionException e) {
        ProblemDetail body = detail(Problem.VERSION_MISMATCH,
                "Expected version " + e.getExpectedVersion() + " but the deal is at version " + e.getActualVersion());
        body.setProperty("currentVersion", e.getActualVersion());
        return ResponseEntity.status(Problem.VERSION_MISMATCH.status())
                .eTag("\"" + e.getActualVersion() + "\"").body(body);
    }

    @ExceptionHandler(ConcurrencyException.class)
    ResponseEntity<ProblemDetail> onConcurrency(ConcurrencyException e) {
        return respond(Problem.CONCURRENT_MODIFICATION, "Another change to this deal was stored first; read it and try again");
    }

    @ExceptionHandler(CommandExecutionException.class)
    ResponseEntity<ProblemDetail> onCommandFailure(CommandExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuleBroken broken) {
            return onRuleBroken(broken);
        }
        if (cause instanceof ProblemException p) {
            return onProblem(p);
        }
        return onUnexpected(e);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> onUnexpected(Exception e) {
        log.error("Unexpected error", e);
        return respond(Problem.INTERNAL, "The request could not be completed");
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(@NonNull Exception ex, Object body, @NonNull HttpHeaders headers,
                                                             @NonNull HttpStatusCode statusCode, @NonNull WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response != null && response.getBody() instanceof ProblemDetail detail) {
            Problem problem = switch (statusCode.value()) {
                case 400 -> Problem.MALFORMED_REQUEST;
                case 404 -> Problem.NOT_FOUND;
                case 405 -> Problem.METHOD_NOT_ALLOWED;
                case 415 -> Problem.UNSUPPORTED_MEDIA_TYPE;
                default -> null;
            };
            if (problem != null) {
                detail.setType(problem.type());
                detail.setTitle(problem.title());
            }
            if (statusCode.value() == 400 && detail.getDetail() != null && detail.getDetail().startsWith("Failed to read request")) {
                detail.setDetail("The body is not valid JSON of the expected shape");
            }
        }
        return response;
    }

    private static ResponseEntity<ProblemDetail> respond(Problem problem, String detail) {
        return ResponseEntity.status(problem.status()).body(detail(problem, detail));
    }

    private static ProblemDetail detail(Problem problem, String detail) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(problem.status(), detail);
        body.setType(problem.type());
        body.setTitle(problem.title());
        return body;
    }
}
