package io.dealflow.analytics;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.servers.Server;

@OpenAPIDefinition(
        info = @Info(title = "funnel-analytics-service", version = "v1",
                description = "The buyer's journey in aggregate: funnel, phases, forecast, velocity, trends, waterfall, "
                        + "backtest and freshness, projected from the deal events. Every answer carries asOf and the filters applied. "
                        + "Errors are RFC 9457 problem+json."),
        servers = @Server(url = "/", description = "through the api-gateway"))
public class Application {

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
