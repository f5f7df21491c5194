package io.dealflow.analytics.projection;

import io.dealflow.analytics.common.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Refreshes PostgreSQL's planner statistics of one generation of the read model while it grows fast (a first load or
 * a rebuild): without them the planner takes the per-batch key lookups for scans of whole tables, and autovacuum's
 * analyze comes minutes late. Due after 10k, 20k, 40k... applied events, so a handful of times per process; H2 analyses
 * by itself. The refresh runs beside the projection, not in it: an analyze of a grown read model takes a few hundred
 * milliseconds, which every batch behind it used to wait for.
 */
final class PlannerStatistics {

    private static final Logger log = LoggerFactory.getLogger(PlannerStatistics.class);
    private static final long FIRST = 10_000;
    private static final List<String> TABLES = List.of("deal", "stage_visit", "tally", "tally_key", "tally_group");

    /** The generation's schema; null for the connections' default one. */
    private final String schema;
    private long applied;
    private long next = FIRST;

    PlannerStatistics(String schema) {
        this.schema = schema;
    }

    /** Counts a batch's applied events; true when the read model has doubled since the last refresh. */
    synchronized boolean due(int appliedEvents) {
        applied += appliedEvents;
        if (applied < next) {
            return false;
        }
        next = applied * 2;
        return true;
    }

    /** Analyzes the generation's tables on a connection of its own. */
    void refresh(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            if (!Database.isPostgres(c)) {
                return;
            }
            String prefix = schema == null ? "" : '"' + schema.replace("\"", "") + "\".";
            try (Statement s = c.createStatement()) {
                s.execute("analyze " + TABLES.stream().map(t -> prefix + t).collect(Collectors.joining(", ")));
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException | RuntimeException e) {
            // only the planner's estimates wait for the next refresh (or autovacuum); the projection goes on
            log.warn("Could not refresh the planner statistics of the read model ({})", e.getMessage());
        }
    }
}
