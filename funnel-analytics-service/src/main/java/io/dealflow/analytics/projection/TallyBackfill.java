package io.dealflow.analytics.projection;

import io.dealflow.analytics.common.Jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Recounts every counter from the deal tables, deal chunk by deal chunk. */
public final class TallyBackfill {

    private static final int CHUNK = 1000;
    private static final int MAX_PENDING_CELLS = 200_000;

    private TallyBackfill() {
    }

    /** Throws the counters away and counts them again: for a migration that adds counters. */
    public static void refill(Connection c) throws SQLException {
        try (java.sql.Statement statement = c.createStatement()) {
            statement.executeUpdate("delete from tally");
            statement.executeUpdate("delete from tally_key");
            statement.executeUpdate("delete from tally_group");
        }
        fill(c);
    }

    private static void fill(Connection c) throws SQLException {
        TallyCells cells = new TallyCells();
        List<String> ids = new ArrayList<>();
        Jdbc.query(c, "select deal_id from deal order by deal_id", List.of(), rs -> ids.add(rs.getString(1)));
        Tallies tallies = new Tallies();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            for (DealState deal : DealStateStore.load(c, ids.subList(from, Math.min(ids.size(), from + CHUNK))).values()) {
                tallies.add(deal, 1);
            }
            // the counts are added up in memory and written once (or when they grow large): writing each chunk's made
            // PostgreSQL keep a dead version of a counter row per chunk until the migration's one transaction ended
            if (tallies.pendingCells() > MAX_PENDING_CELLS) {
                cells.remember(tallies.write(c, cells));
            }
        }
        cells.remember(tallies.write(c, cells));
    }
}
