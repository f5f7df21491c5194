package io.dealflow.gateway.errors;

import io.dealflow.gateway.tracing.RequestLogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.reactive.error.ErrorWebExceptionHandler;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/** Any error the gateway itself meets leaves as problem+json, never as a stack trace or Boot's error page. */
@Component
@Order(-2)
class ProblemErrorHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorHandler.class);

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        HttpStatus status;
        String slug;
        String detail;
        if (error instanceof ResponseStatusException rse) {
            status = HttpStatus.resolve(rse.getStatusCode().value());
            if (status == null) {
                status = HttpStatus.INTERNAL_SERVER_ERROR;
            }
            slug = switch (status.value()) {
                case 404 -> "not-found";
                case 405 -> "method-not-allowed";
                case 413 -> "payload-too-large";
                case 415 -> "unsupported-media-type";
                case 503 -> "service-unavailable";
                case 504 -> "gateway-timeout";
                default -> status.is4xxClientError() ? "bad-request" : "internal-error";
            };
            detail = rse.getReason() != null && status.is4xxClientError() ? rse.getReason() : status.getReasonPhrase();
        } else if (error instanceof ConnectException || error.getCause() instanceof ConnectException) {
            status = HttpStatus.SERVICE_UNAVAILABLE;
            slug = "service-unavailable";
            detail = "A downstream service is not reachable right now";
        } else if (error instanceof TimeoutException) {
            status = HttpStatus.GATEWAY_TIMEOUT;
            slug = "gateway-timeout";
            detail = "A downstream service did not answer in time";
        } else {
            RequestLogContext.log(exchange, () -> log.error("Unexpected gateway error on {}", exchange.getRequest().getPath(), error));
            status = HttpStatus.INTERNAL_SERVER_ERROR;
            slug = "internal-error";
            detail = "The request could not be completed";
        }
        return Problems.write(exchange.getResponse(), status, slug, detail);
    }
}
