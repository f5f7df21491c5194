package db.migration;

import io.dealflow.analytics.common.Database;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.Statement;

/**
 * Once counted every counter again now that the closed deals ('*' slice) are counted per
 * month ('closed.month': k1 = closing month, k2 = status, k3 = furthest stage position) and per day in one group per
 * month ('closed:2026-07': k1 = closing day, same k2 and k3) instead of per day in one group ('closed'): the learned
 * probabilities read the whole months of their look-back and the days of the months it cuts. V16 counts everything
 * again with the projection's own code, whose counters need V16's column, so the recount is left to it.
 * <p>
 * On PostgreSQL the counts table first gets room on every page: each batch updates thousands of its rows, and an
 * update that finds room on its row's page stays off the index and is cleaned up on the page, without waiting for (or
 * depending on) autovacuum.
 */
public class V14__Count_closed_deals_per_month extends BaseJavaMigration {

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
