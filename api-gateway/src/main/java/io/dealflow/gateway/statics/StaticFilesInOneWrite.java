package io.dealflow.gateway.statics;

import org.reactivestreams.Publisher;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The gateway's own static files (the web app, the Swagger UI, the event contract) are written as one message instead
 * of a stream of chunks. Streamed, the client had the whole file before the server had finished the exchange; a request
 * arriving in that gap was queued, and when it was answered at once, Reactor Netty (1.2) stopped reading the connection:
 * the request after it got no answer (about 3 % of tries of a static file, a quick answer such as the web app's
 * sign-in options, then any request, on one kept-alive connection).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 4)
class StaticFilesInOneWrite implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!isStaticFile(exchange)) {
            return chain.filter(exchange);
        }
        ServerHttpResponseDecorator whole = new ServerHttpResponseDecorator(exchange.getResponse()) {
            @Override
            public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
                return super.writeWith(body instanceof Mono<? extends DataBuffer> one ? one : DataBufferUtils.join(body));
            }
        };
        return chain.filter(exchange.mutate().response(whole).build());
    }

    static boolean isStaticFile(ServerWebExchange exchange) {
        HttpMethod method = exchange.getRequest().getMethod();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            return false;
        }
        String path = exchange.getRequest().getPath().value();
        return path.equals("/") || path.startsWith("/app/") || path.startsWith("/api/swagger-ui/") || path.startsWith("/api/docs/events/");
    }
}
