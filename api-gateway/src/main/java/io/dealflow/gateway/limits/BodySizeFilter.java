package io.dealflow.gateway.limits;

import io.dealflow.gateway.errors.Problems;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Request bodies above the limit get 413: at once when Content-Length says so, else as soon as the stream exceeds it.
 * An import (a CRM's whole history, streamed) has its own, far larger limit.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class BodySizeFilter implements WebFilter {

    static final String IMPORTS = "/api/v1/imports";

    private final long requestLimit;
    private final long importLimit;

    BodySizeFilter(@Value("${dealflow.max-request-body:1MB}") DataSize requestLimit,
                   @Value("${dealflow.max-import-body:4GB}") DataSize importLimit) {
        this.requestLimit = requestLimit.toBytes();
        this.importLimit = importLimit.toBytes();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long limit = IMPORTS.equals(exchange.getRequest().getPath().value()) ? importLimit : requestLimit;
        long declared = exchange.getRequest().getHeaders().getContentLength();
        if (declared > limit) {
            return Problems.write(exchange.getResponse(), HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large",
                    "Request bodies may be at most " + limit + " bytes");
        }
        AtomicLong seen = new AtomicLong();
        ServerHttpRequestDecorator counted = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                return super.getBody().doOnNext(buffer -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > limit) {
                        throw new ResponseStatusException(HttpStatus.PAYLOAD_TOO_LARGE, "Request bodies may be at most " + limit + " bytes");
                    }
                });
            }
        };
        return chain.filter(exchange.mutate().request(counted).build());
    }
}
