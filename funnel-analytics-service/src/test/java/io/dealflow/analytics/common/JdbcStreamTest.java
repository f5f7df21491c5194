package io.dealflow.analytics.common;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The deal-table reads on PostgreSQL (CI points DEALFLOW_TEST_PG_URL_ANALYTICS at it; skipped without): planned for the
 * values of every run, however often the same statement runs on a connection, and the connection is left as it was.
 */
class JdbcStreamTest {

    @Test
    void everyRunIsPlannedForItsValuesAndTheConnectionIsLeftAsItWas() throws SQLException {
        String url = System.getenv("DEALFLOW_TEST_PG_URL_ANALYTICS");
        assumeTrue(url != null && !url.isBlank(), "no PostgreSQL configured");
        try (Connection c = DriverManager.getConnection(url, System.getenv().getOrDefault("DEALFLOW_TEST_PG_USER", "postgres"), "")) {
            // more runs than it takes pgjdbc to prepare on the server (5) and PostgreSQL to consider a generic plan (5 more)
            for (int run = 0; run < 12; run++) {
                List<String> settings = new ArrayList<>();
                Jdbc.stream(c, "select current_setting('plan_cache_mode'), current_setting('cursor_tuple_fraction') where ? > 0", List.of(run + 1),
                        rs -> settings.add(rs.getString(1) + " " + rs.getString(2)));
                assertEquals(List.of("force_custom_plan 1"), settings, "run " + run);
            }
            assertTrue(c.getAutoCommit(), "back in auto-commit");
            List<String> after = new ArrayList<>();
            Jdbc.query(c, "select current_setting('plan_cache_mode')", List.of(), rs -> after.add(rs.getString(1)));
            assertEquals(List.of("auto"), after, "the settings lasted only for the read");
        }
    }
}
