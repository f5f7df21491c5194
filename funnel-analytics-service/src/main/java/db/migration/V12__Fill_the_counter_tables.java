package db.migration;

import io.dealflow.analytics.common.Database;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.Statement;

/**
 * On PostgreSQL, gives the counts table room on every page: each batch updates thousands of its rows, and an update
 * that finds room on its row's page stays off the index and is cleaned up on the page, without waiting for (or
 * depending on) autovacuum. It also counted every counter again into the tables of V11; V14 does that now.
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
    }
}
