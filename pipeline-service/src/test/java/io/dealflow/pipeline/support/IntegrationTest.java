package io.dealflow.pipeline.support;

import io.dealflow.kafka.LocalKafka;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The service on a random port against a real broker and a real database (H2, or PostgreSQL in CI). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class IntegrationTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestKafka.register(registry, () -> LocalKafka.shared().bootstrapServers());
        TestDatabase.register(registry);
    }
}
