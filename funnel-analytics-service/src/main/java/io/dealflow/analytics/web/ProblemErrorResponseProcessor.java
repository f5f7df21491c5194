package io.dealflow.analytics.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/** Micronaut's own errors (unknown route, bad parameter, internal failure) as problem+json, never a stack trace. */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Map<String, Object>> {

    @Override
    public MutableHttpResponse<Map<String, Object>> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpStatus status = response.getStatus();
        String detail = status.getCode() >= 500 || !context.hasErrors()
                ? status.getReason()
                : context.getErrors().get(0).getMessage();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://dealflow.io/problems/" + Problems.slugFor(status.getCode()));
        body.put("title", status.getReason());
        body.put("status", status.getCode());
        body.put("detail", detail);
        return response.contentType(Problems.MEDIA_TYPE).body(body);
    }
}
