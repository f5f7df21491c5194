package io.dealflow.analytics.generation;

import io.dealflow.analytics.support.AnalyticsTest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rule for a schema change: a service whose read-model migrations the active generation lacks (here it was made
 * by the first migration only, as before the second was written: its partition progress has no consumed offsets, so
 * the consumers start from the group's) rebuilds the read model into a new generation as it starts, instead of
 * migrating it in place.
 */
@MicronautTest
class OlderGenerationTest extends AnalyticsTest {

    @Inject
    ReadModelGenerations generations;
    private String older;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = super.getProperties();
        properties.put("dealflow.rebuild.store-check", "false");
        TestDatabase database = TestDatabase.of(properties);
        String defaultSchema = database.defaultSchema();
        older = defaultSchema + "_model_1";
        Flyway.configure().dataSource(database.url(), database.user(), database.password()).schemas(older).defaultSchema(older)
                .createSchemas(true).locations("classpath:db/read-model").target("1").load().migrate();
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("create schema if not exists " + defaultSchema);
            s.execute("create table " + defaultSchema + ".read_model_generation (id int primary key, active_schema varchar(63) not null)");
            s.execute("insert into " + defaultSchema + ".read_model_generation values (1, '" + older + "')");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return properties;
    }

    @Test
    void aGenerationMadeByFewerMigrationsIsRebuiltAtStartup() throws Exception {
        await("/api/v1/analytics/admin/rebuild", r -> r.status() == 200 && "DONE".equals(r.body().get("state").asText()));
        assertTrue(!generations.outdated());
        assertEquals(older.replace("_model_1", "_model_2"), generations.active(), "a new generation answers");
    }
}
