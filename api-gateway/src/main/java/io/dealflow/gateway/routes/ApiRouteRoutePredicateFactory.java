package io.dealflow.gateway.routes;

import org.springframework.cloud.gateway.handler.predicate.AbstractRoutePredicateFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import java.util.List;
import java.util.function.Predicate;

/**
 * The only predicate the gateway's routes use ({@code - ApiRoute=pipeline-service}): a request goes to a route when
 * the {@link RouteTable} sends its method and path to that route's target.
 */
@Component
public class ApiRouteRoutePredicateFactory extends AbstractRoutePredicateFactory<ApiRouteRoutePredicateFactory.Config> {

    private final RouteTable table;

    public ApiRouteRoutePredicateFactory(RouteTable table) {
        super(Config.class);
        this.table = table;
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("target");
    }

    @Override
    public Predicate<ServerWebExchange> apply(Config config) {
        return exchange -> table.resolve(exchange).filter(route -> route.target().equals(config.getTarget())).isPresent();
    }

    public static class Config {
        private String target;

        public String getTarget() {
            return target;
        }

        public void setTarget(String target) {
            this.target = target;
        }
    }
}
