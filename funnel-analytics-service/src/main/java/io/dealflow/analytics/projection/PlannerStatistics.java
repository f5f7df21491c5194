package io.dealflow.analytics.projection;

import io.dealflow.analytics.common.Database;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Refreshes PostgreSQL's planner statistics while the read model grows fast (a first load or a rebuild): without
 * them the planner takes the per-batch key lookups for scans of whole tables, and autovacuum's analyze comes
 * minutes late. Runs after 10k, 20k, 40k... applied events, so a handful of times per process; H2 analyses by itself.
 */
final class PlannerStatistics {

    private static final long FIRST = 10_000;

    private long applied;
    private long next = FIRST;

    synchronized void afterBatch(Connection c, int appliedEvents) throws SQLException {
        applied += appliedEvents;
        if (applied < next) {
            return;
        }
        next = applied * 2;
        if (Database.isPostgres(c)) {
            try (Statement s = c.createStatement()) {
                s.execute("analyze deal, stage_visit, tally, tally_key, tally_group");
            }
            c.commit();
        }
    }
}
