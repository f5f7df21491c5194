package io.dealflow.analytics.projection;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The planner statistics of a generation are refreshed each time its applied events double, in that generation. */
class PlannerStatisticsTest {

    @Test
    void dueEachTimeTheAppliedEventsDouble() {
        PlannerStatistics statistics = new PlannerStatistics(null);
        assertFalse(statistics.due(9_999));
        assertTrue(statistics.due(1), "10,000 applied");
        assertFalse(statistics.due(9_999), "19,999");
        assertTrue(statistics.due(1), "20,000");
        assertFalse(statistics.due(19_999), "39,999");
        assertTrue(statistics.due(5_000), "44,999: due, and the next one at twice that");
        assertFalse(statistics.due(44_998));
        assertTrue(statistics.due(1));
    }

    /** On PostgreSQL (CI points DEALFLOW_TEST_PG_URL_ANALYTICS at it; skipped without). */
    @Test
    void refreshAnalyzesTheGenerationsOwnTables() throws SQLException {
        String url = System.getenv("DEALFLOW_TEST_PG_URL_ANALYTICS");
        assumeTrue(url != null && !url.isBlank(), "no PostgreSQL configured");
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        dataSource.setUser(System.getenv().getOrDefault("DEALFLOW_TEST_PG_USER", "postgres"));
        String schema = "planner_" + UUID.randomUUID().toString().replace("-", "");
        Flyway.configure().dataSource(dataSource).schemas(schema).createSchemas(true).locations("classpath:db/read-model").load().migrate();
        try {
            // a table PostgreSQL has never analyzed has no estimate of its rows (-1)
            assertEquals(-1, estimatedRows(dataSource, schema, "tally"));
            new PlannerStatistics(schema).refresh(dataSource);
            for (String table : new String[] {"deal", "stage_visit", "tally", "tally_key", "tally_group"}) {
                assertEquals(0, estimatedRows(dataSource, schema, table), table + " analyzed: empty");
            }
        } finally {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("drop schema \"" + schema + "\" cascade");
            }
        }
    }

    private static long estimatedRows(PGSimpleDataSource dataSource, String schema, String table) throws SQLException {
        try (Connection c = dataSource.getConnection();
             var statement = c.prepareStatement("select c.reltuples from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                     + " where n.nspname = ? and c.relname = ?")) {
            statement.setString(1, schema);
            statement.setString(2, table);
            try (var rs = statement.executeQuery()) {
                assertTrue(rs.next(), table + " exists in " + schema);
                return (long) rs.getFloat(1);
            }
        }
    }
}
