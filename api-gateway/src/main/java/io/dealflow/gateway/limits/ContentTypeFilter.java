package io.dealflow.gateway.limits;

import io.dealflow.gateway.errors.Problems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.nio.charset.Charset;

/**
 * A request's Content-Type, when it has one, must name one concrete media type in a charset that exists: a wildcard,
 * an unparsable type or an unknown charset is refused with 415 before any service has to make sense of it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 3)
class ContentTypeFilter implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String declared = exchange.getRequest().getHeaders().getFirst(HttpHeaders.CONTENT_TYPE);
        if (declared != null && !isConcrete(declared)) {
            return Problems.write(exchange.getResponse(), HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                    "Content-Type must name one media type, such as application/json, in a known charset");
        }
        return chain.filter(exchange);
    }

    static boolean isConcrete(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            if (type.isWildcardType() || type.isWildcardSubtype()) {
                return false;
            }
            String charset = type.getParameter("charset");
            return charset == null || Charset.isSupported(charset.replace("\"", ""));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
