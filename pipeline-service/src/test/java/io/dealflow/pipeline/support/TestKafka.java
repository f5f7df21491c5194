package io.dealflow.pipeline.support;

import org.springframework.test.context.DynamicPropertyRegistry;

import java.util.function.Supplier;

/** Points a test context at a broker, with short producer timeouts so no context waits long on a stopped broker. */
public final class TestKafka {

    private TestKafka() {
    }

    public static void register(DynamicPropertyRegistry registry, Supplier<Object> bootstrapServers) {
        registry.add("spring.kafka.bootstrap-servers", bootstrapServers);
        registry.add("spring.kafka.producer.properties.max.block.ms", () -> "2000");
        registry.add("spring.kafka.producer.properties.delivery.timeout.ms", () -> "5000");
        registry.add("spring.kafka.producer.properties.request.timeout.ms", () -> "2000");
    }
}
