package io.dealflow.gateway;

import io.dealflow.gateway.routes.ApiRoute;
import io.dealflow.gateway.routes.RouteTable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.route.RouteDefinitionLocator;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Routes and rules come from one table: no route matches by anything else, and every row is reachable as itself. */
@SpringBootTest(properties = {"dealflow.auth.hs256-secret=" + Tokens.SECRET, "dealflow.rate-limit.enabled=false"})
class RouteTableTest {

    @Autowired
    RouteDefinitionLocator definitions;

    private final RouteTable table = new RouteTable();

    @Test
    void everyRouteIsChosenByTheTableOnly() {
        List<RouteDefinition> routes = definitions.getRouteDefinitions().collectList().block();
        Set<String> targets = new HashSet<>();
        for (RouteDefinition route : routes) {
            assertEquals(1, route.getPredicates().size(), route.getId() + " has one predicate");
            assertEquals("ApiRoute", route.getPredicates().get(0).getName(), route.getId() + " is chosen by the route table");
            targets.add(route.getPredicates().get(0).getArgs().values().iterator().next());
        }
        Set<String> tableTargets = new HashSet<>();
        table.routes().stream().map(ApiRoute::target).filter(t -> !t.equals(RouteTable.GATEWAY)).forEach(tableTargets::add);
        assertEquals(tableTargets, targets, "every target of the table has a route, and no route serves anything else");
    }

    @Test
    void everyRowIsTheOneRuleForItsExample() {
        for (ApiRoute route : table.routes()) {
            assertEquals(route, table.find(route.method(), route.examplePath()).orElseThrow(), route.examplePath());
            long rows = table.routes().stream()
                    .filter(other -> other.method().equals(route.method()) && other.pattern().matches(
                            org.springframework.http.server.PathContainer.parsePath(route.examplePath())))
                    .map(other -> other.target() + " " + other.scope())
                    .distinct().count();
            assertEquals(1, rows, route.examplePath() + " has one decision");
        }
        assertTrue(table.routes().stream().noneMatch(r -> r.method().name().equals("HEAD") || r.method().name().equals("OPTIONS")),
                "HEAD follows GET and OPTIONS is a preflight: neither has rows of its own");
    }
}
