package io.dealflow.pipeline;

import io.dealflow.kafka.LocalKafka;
import io.dealflow.pipeline.support.Api;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The service on a throw-away PostgreSQL container where Docker exists (skipped without it; CI here
 * points the regular suite at the machine's PostgreSQL instead).
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PostgresContainerTest {

    @Container
    static final PostgreSQLContainer<?> POSTGRES = new PostgreSQLContainer<>("postgres:16-alpine");

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", POSTGRES::getJdbcUrl);
        registry.add("spring.datasource.username", POSTGRES::getUsername);
        registry.add("spring.datasource.password", POSTGRES::getPassword);
        registry.add("spring.kafka.bootstrap-servers", () -> LocalKafka.shared().bootstrapServers());
    }

    @LocalServerPort
    int port;

    @Test
    void createsAndReadsADealOnPostgres() throws Exception {
        Api api = new Api(port);
        String id = api.createDeal("{\"title\": \"On PostgreSQL\", \"amount\": {\"value\": \"1.00\", \"currency\": \"EUR\"}}");
        assertEquals("On PostgreSQL", api.get("/api/v1/deals/" + id).body().get("title").asText());
    }
}
