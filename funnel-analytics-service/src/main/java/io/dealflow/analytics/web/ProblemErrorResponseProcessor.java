package io.dealflow.analytics.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.web.router.exceptions.UnsatisfiedRouteException;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Micronaut's own errors (unknown route, bad parameter, internal failure) as problem+json, never a stack trace. The
 * detail is written for a person: it names the parameter at fault, never a Java type or an exception's message.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Map<String, Object>> {

    @Override
    public MutableHttpResponse<Map<String, Object>> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpStatus status = response.getStatus();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", Problems.type(Problems.slugFor(status.getCode())));
        body.put("title", status.getReason());
        body.put("status", status.getCode());
        body.put("detail", detail(context, status));
        return response.contentType(Problems.MEDIA_TYPE).body(body);
    }

    static String detail(ErrorContext context, HttpStatus status) {
        Throwable cause = context.getRootCause().orElse(null);
        if (cause instanceof ConversionErrorException conversion) {
            return "The parameter '" + conversion.getArgument().getName() + "' has a value of the wrong form";
        }
        if (cause instanceof UnsatisfiedRouteException unsatisfied) {
            return "The parameter '" + unsatisfied.getArgument().getName() + "' is required";
        }
        return switch (status.getCode()) {
            case 400 -> "The request is malformed";
            case 404 -> "There is nothing at this path";
            case 405 -> "This path does not serve this method";
            case 406 -> "This path cannot answer in the accepted media type";
            case 413 -> "The request body is too large";
            case 415 -> "This path does not take this content type";
            default -> status.getCode() >= 500 ? "The request could not be completed" : status.getReason();
        };
    }
}
