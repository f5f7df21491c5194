package io.dealflow.gateway.docs;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Serves the event contract (AsyncAPI document, JSON Schemas, examples) from the deal-events module. */
@Configuration
class DocsConfig {

    @Bean
    RouterFunction<ServerResponse> eventContract() {
        return RouterFunctions.resources("/api/docs/events/**", new ClassPathResource("io/dealflow/events/v1/"));
    }
}
