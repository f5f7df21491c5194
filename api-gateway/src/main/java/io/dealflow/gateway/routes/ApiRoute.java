package io.dealflow.gateway.routes;

import io.dealflow.trust.Scope;
import org.springframework.http.HttpMethod;
import org.springframework.web.util.pattern.PathPattern;

/**
 * One row of the route table: requests with this method and a path matching the pattern go to {@code target} and
 * need {@code scope}; a {@code null} scope means public (docs, health).
 */
public record ApiRoute(String target, HttpMethod method, PathPattern pattern, Scope scope) {

    public boolean isPublic() {
        return scope == null;
    }

    /** A concrete path this row matches, with every variable filled in. */
    public String examplePath() {
        return pattern.getPatternString().replaceAll("\\{[^}]+}", "x1").replace("/**", "/index.html");
    }
}
