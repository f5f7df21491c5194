package io.dealflow.gateway.routes;

import io.dealflow.gateway.errors.Problems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Only one spelling of a path is accepted: the one the route table names. A trailing slash, an empty or dot segment,
 * a {@code ;parameter}, a backslash, control characters or a percent-encoded slash, backslash, dot, semicolon or
 * percent sign would let the gateway and a service read two different paths, so such requests are refused before
 * anything else looks at them. The path the gateway authorizes is then exactly the path it forwards. Query values
 * with control characters (NUL included) are refused as well.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class CanonicalPathFilter implements WebFilter {

    private static final Pattern ENCODED_SEPARATOR = Pattern.compile("%(2f|5c|2e|3b|25|00)");
    private static final Pattern ENCODED_CONTROL = Pattern.compile("%([01][0-9a-f]|7f)");

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String rawPath = exchange.getRequest().getURI().getRawPath();
        if (!isCanonical(rawPath)) {
            return Problems.write(exchange.getResponse(), HttpStatus.BAD_REQUEST, "non-canonical-path",
                    "The path must be written in its one canonical form: no trailing slash, no empty, '.' or '..' segments, "
                            + "no ';' parameters and no encoded separators");
        }
        String rawQuery = exchange.getRequest().getURI().getRawQuery();
        if (rawQuery != null && ENCODED_CONTROL.matcher(rawQuery.toLowerCase(Locale.ROOT)).find()) {
            return Problems.write(exchange.getResponse(), HttpStatus.BAD_REQUEST, "invalid-query",
                    "Query values must not contain control characters");
        }
        return chain.filter(exchange);
    }

    static boolean isCanonical(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return false;
        }
        if (rawPath.length() > 1 && rawPath.endsWith("/")) {
            return false;
        }
        if (rawPath.contains("//") || rawPath.indexOf(';') >= 0 || rawPath.indexOf('\\') >= 0) {
            return false;
        }
        for (int i = 0; i < rawPath.length(); i++) {
            if (rawPath.charAt(i) < 0x20 || rawPath.charAt(i) == 0x7f) {
                return false;
            }
        }
        if (ENCODED_SEPARATOR.matcher(rawPath.toLowerCase(Locale.ROOT)).find()) {
            return false;
        }
        for (String segment : rawPath.substring(1).split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
