package io.dealflow.pipeline.support;

import org.springframework.test.context.DynamicPropertyRegistry;

import java.util.UUID;

/**
 * H2 in memory by default; PostgreSQL when DEALFLOW_TEST_PG_URL is set (CI does:
 * jdbc:postgresql://127.0.0.1:5432/...). Each Spring context gets its own in-memory database on H2
 * and its own schema on PostgreSQL.
 */
public final class TestDatabase {

    private TestDatabase() {
    }

    public static void register(DynamicPropertyRegistry registry) {
        String pg = System.getenv("DEALFLOW_TEST_PG_URL");
        if (pg != null && !pg.isBlank()) {
            // Every Spring context gets its own schema, so cached contexts never share token claims or rows.
            String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            registry.add("spring.datasource.url", () -> pg + (pg.contains("?") ? "&" : "?") + "currentSchema=" + schema);
            registry.add("spring.flyway.default-schema", () -> schema);
            registry.add("spring.flyway.create-schemas", () -> "true");
            registry.add("spring.datasource.username", () -> env("DEALFLOW_TEST_PG_USER", "postgres"));
            registry.add("spring.datasource.password", () -> env("DEALFLOW_TEST_PG_PASSWORD", ""));
            // the test framework keeps a context per configuration alive: each then holds one idle connection, not ten,
            // so together they stay under the server's connection limit (100 by default)
            registry.add("spring.datasource.hikari.minimum-idle", () -> "1");
            registry.add("spring.datasource.hikari.idle-timeout", () -> "10000");
        } else {
            String name = "pipeline-" + UUID.randomUUID();
            registry.add("spring.datasource.url", () -> "jdbc:h2:mem:" + name
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        }
    }

    public static boolean isPostgres() {
        String pg = System.getenv("DEALFLOW_TEST_PG_URL");
        return pg != null && !pg.isBlank();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
