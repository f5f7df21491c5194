package io.dealflow.gateway.routes;

import io.dealflow.trust.Scope;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPatternParser;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.PATCH;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

/**
 * Every path the gateway answers, one row per method: where it goes and which scope it needs. Routing and
 * authorization both read this table, so a path without a row is neither forwarded nor allowed. HEAD follows GET's
 * row; OPTIONS is only answered as a CORS preflight.
 */
@Component
public class RouteTable {

    public static final String PIPELINE = "pipeline-service";
    public static final String ANALYTICS = "funnel-analytics-service";
    public static final String PIPELINE_DOCS = "pipeline-api-docs";
    public static final String ANALYTICS_DOCS = "analytics-api-docs";
    /** Answered by the gateway itself (docs UI, event contract, health). */
    public static final String GATEWAY = "gateway";

    private static final String RESOLVED = RouteTable.class.getName() + ".resolved";
    private static final PathPatternParser PARSER = new PathPatternParser();

    private final List<ApiRoute> routes = new ArrayList<>();

    public RouteTable() {
        // the pipeline: more specific rows before the ones with a variable in the same place
        row(PIPELINE, GET, "/api/v1/pipelines", Scope.DEALS_READ);
        row(PIPELINE, POST, "/api/v1/pipelines", Scope.DEALS_WRITE);
        row(PIPELINE, GET, "/api/v1/pipelines/{pipelineId}", Scope.DEALS_READ);
        row(PIPELINE, PUT, "/api/v1/pipelines/{pipelineId}", Scope.DEALS_WRITE);
        row(PIPELINE, GET, "/api/v1/pipelines/{pipelineId}/board", Scope.DEALS_READ);
        row(PIPELINE, GET, "/api/v1/deals", Scope.DEALS_READ);
        row(PIPELINE, POST, "/api/v1/deals", Scope.DEALS_WRITE);
        row(PIPELINE, GET, "/api/v1/deals/attention", Scope.DEALS_READ);
        row(PIPELINE, GET, "/api/v1/deals/{dealId}", Scope.DEALS_READ);
        row(PIPELINE, PATCH, "/api/v1/deals/{dealId}", Scope.DEALS_WRITE);
        row(PIPELINE, GET, "/api/v1/deals/{dealId}/history", Scope.DEALS_READ);
        row(PIPELINE, POST, "/api/v1/deals/{dealId}/moves", Scope.DEALS_WRITE);
        row(PIPELINE, POST, "/api/v1/deals/{dealId}/win", Scope.DEALS_WRITE);
        row(PIPELINE, POST, "/api/v1/deals/{dealId}/loss", Scope.DEALS_WRITE);
        row(PIPELINE, POST, "/api/v1/deals/{dealId}/reopen", Scope.DEALS_WRITE);
        row(PIPELINE, POST, "/api/v1/deals/{dealId}/activities", Scope.DEALS_WRITE);
        // importing history writes the past: an administrator's job
        row(PIPELINE, POST, "/api/v1/imports", Scope.ADMIN);
        row(PIPELINE, GET, "/api/v1/imports/{importId}", Scope.ADMIN);
        row(PIPELINE, DELETE, "/api/v1/imports/{importId}", Scope.ADMIN);
        row(PIPELINE, GET, "/api/v1/imports/{importId}/rejections", Scope.ADMIN);
        row(PIPELINE, POST, "/api/v1/admin/republish", Scope.ADMIN);
        row(PIPELINE, GET, "/api/v1/admin/store-counts", Scope.ADMIN);
        row(PIPELINE, GET, "/api/v1/admin/deals/{dealId}/events", Scope.ADMIN);
        // the funnel
        row(ANALYTICS, GET, "/api/v1/funnel", Scope.ANALYTICS_READ);
        row(ANALYTICS, GET, "/api/v1/funnel/phases", Scope.ANALYTICS_READ);
        row(ANALYTICS, GET, "/api/v1/funnel/board", Scope.ANALYTICS_READ);
        row(ANALYTICS, GET, "/api/v1/forecast", Scope.ANALYTICS_READ);
        row(ANALYTICS, GET, "/api/v1/forecast/backtest", Scope.ANALYTICS_READ);
        row(ANALYTICS, GET, "/api/v1/velocity", Scope.ANALYTICS_READ);
        row(ANALYTICS, GET, "/api/v1/trends", Scope.ANALYTICS_READ);
        row(ANALYTICS, GET, "/api/v1/waterfall", Scope.ANALYTICS_READ);
        row(ANALYTICS, GET, "/api/v1/analytics/freshness", Scope.ANALYTICS_READ);
        row(ANALYTICS, GET, "/api/v1/analytics/reconciliation", Scope.ADMIN);
        row(ANALYTICS, GET, "/api/v1/analytics/admin/rebuild", Scope.ADMIN);
        row(ANALYTICS, POST, "/api/v1/analytics/admin/rebuild", Scope.ADMIN);
        // public: the web app and how to sign in to it
        row(GATEWAY, GET, "/", null);
        row(GATEWAY, GET, "/index.html", null);
        row(GATEWAY, GET, "/app/**", null);
        row(GATEWAY, POST, "/app/sign-in/local", null);
        row(GATEWAY, GET, "/webjars/echarts/**", null);
        // public: the services' OpenAPI documents, the docs UI, the event contract, health and metrics
        row(PIPELINE_DOCS, GET, "/api/docs/pipeline/openapi.json", null);
        row(ANALYTICS_DOCS, GET, "/api/docs/analytics/openapi.yml", null);
        row(GATEWAY, GET, "/api/docs", null);
        row(GATEWAY, GET, "/api/docs/gateway/api-docs/**", null);
        row(GATEWAY, GET, "/api/docs/events/**", null);
        row(GATEWAY, GET, "/api/swagger-ui/**", null);
        row(GATEWAY, GET, "/webjars/swagger-ui/**", null);
        row(GATEWAY, GET, "/actuator/health/**", null);
        row(GATEWAY, GET, "/actuator/info", null);
        row(GATEWAY, GET, "/actuator/prometheus", null);
    }

    private void row(String target, HttpMethod method, String pattern, Scope scope) {
        routes.add(new ApiRoute(target, method, PARSER.parse(pattern), scope));
    }

    public List<ApiRoute> routes() {
        return List.copyOf(routes);
    }

    /** The row for this method and path, if any. */
    public Optional<ApiRoute> find(HttpMethod method, String path) {
        HttpMethod lookup = HttpMethod.HEAD.equals(method) ? GET : method;
        PathContainer container = PathContainer.parsePath(path);
        for (ApiRoute route : routes) {
            if (route.method().equals(lookup) && route.pattern().matches(container)) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    /** The methods the table serves on this path (HEAD with GET); empty for a path it does not know. */
    public Set<HttpMethod> methodsOn(String path) {
        PathContainer container = PathContainer.parsePath(path);
        Set<HttpMethod> methods = new LinkedHashSet<>();
        for (ApiRoute route : routes) {
            if (route.pattern().matches(container)) {
                methods.add(route.method());
                if (route.method().equals(GET)) {
                    methods.add(HttpMethod.HEAD);
                }
            }
        }
        return methods;
    }

    /** The row of this exchange's request, looked up once per request. */
    public Optional<ApiRoute> resolve(ServerWebExchange exchange) {
        Object cached = exchange.getAttributes().get(RESOLVED);
        if (cached instanceof ApiRoute route) {
            return Optional.of(route);
        }
        if (cached != null) {
            return Optional.empty();
        }
        Optional<ApiRoute> route = find(exchange.getRequest().getMethod(), exchange.getRequest().getURI().getRawPath());
        exchange.getAttributes().put(RESOLVED, route.isPresent() ? route.get() : Boolean.FALSE);
        return route;
    }
}
