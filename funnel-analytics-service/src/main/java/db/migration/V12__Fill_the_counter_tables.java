package db.migration;

import io.dealflow.analytics.common.Database;
import io.dealflow.analytics.projection.TallyBackfill;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.Statement;

/**
 * Counts every counter again into the tables of V11, with the projection's own code. On PostgreSQL the counts table
 * first gets room on every page: each batch updates thousands of its rows, and an update that finds room on its row's
 * page stays off the index and is cleaned up on the page, without waiting for (or depending on) autovacuum.
 */
public class V12__Fill_the_counter_tables extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        if (Database.isPostgres(c)) {
            try (Statement s = c.createStatement()) {
                s.execute("alter table tally set (fillfactor = 30)");
            }
        }
        TallyBackfill.refill(c);
    }
}
