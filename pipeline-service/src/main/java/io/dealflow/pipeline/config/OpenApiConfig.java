package io.dealflow.pipeline.config;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.servers.Server;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

@Configuration
class OpenApiConfig {

    @Bean
    OpenAPI pipelineApi() {
        return new OpenAPI()
                .info(new Info().title("DealFlow pipeline API").version("v1")
                        .description("Pipelines, deals and their lifecycle. Errors are RFC 9457 problem+json with a stable type. "
                                + "Reads return the deal version as ETag; writes honor If-Match; POST /api/v1/deals honors Idempotency-Key. "
                                + "Every change is also published as an event: see the [event contract (AsyncAPI)](/api/docs/events/asyncapi.yaml) "
                                + "and its [JSON Schemas](/api/docs/events/schemas/io.dealflow.deal.created.v1.json)."))
                .servers(List.of(new Server().url("/").description("through the api-gateway")));
    }
}
