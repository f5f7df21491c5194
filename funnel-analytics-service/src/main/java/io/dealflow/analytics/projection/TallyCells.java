package io.dealflow.analytics.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ids of the counter cells ({@code tally_cell}), remembered once looked up: a cell keeps its id for as long as
 * the read model keeps it. An id remembered from a transaction that rolled back, or from before a rebuild emptied
 * the tables, finds no counter row; {@link Tallies#write} then forgets it and looks the cell up again.
 */
final class TallyCells {

    private final Map<Tallies.Cell, Long> ids = new ConcurrentHashMap<>();

    /** The id of each cell (same order), from memory or from the table; null where the cell has no row yet. */
    List<Long> find(Connection c, List<Tallies.Cell> cells) throws SQLException {
        List<Long> found = new ArrayList<>(cells.size());
        PreparedStatement lookup = null;
        try {
            for (Tallies.Cell cell : cells) {
                Long id = ids.get(cell);
                if (id == null) {
                    if (lookup == null) {
                        lookup = c.prepareStatement("""
                                select cell_id from tally_cell
                                where pipeline_id = ? and slice = ? and metric = ? and k1 = ? and k2 = ? and k3 = ? and k4 = ?""");
                    }
                    id = lookUp(lookup, cell);
                    if (id != null) {
                        ids.put(cell, id);
                    }
                }
                found.add(id);
            }
        } finally {
            if (lookup != null) {
                lookup.close();
            }
        }
        return found;
    }

    /** Inserts rows for new cells and returns their ids (same order). */
    List<Long> create(Connection c, List<Tallies.Cell> cells) throws SQLException {
        List<Long> created = new ArrayList<>(cells.size());
        try (PreparedStatement next = c.prepareStatement("select nextval('tally_cell_id') from generate_series(1, ?)")) {
            next.setInt(1, cells.size());
            try (ResultSet rs = next.executeQuery()) {
                while (rs.next()) {
                    created.add(rs.getLong(1));
                }
            }
        }
        try (PreparedStatement insert = c.prepareStatement(
                "insert into tally_cell (cell_id, pipeline_id, slice, metric, k1, k2, k3, k4) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < cells.size(); i++) {
                insert.setLong(1, created.get(i));
                bindKey(insert, 2, cells.get(i));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        for (int i = 0; i < cells.size(); i++) {
            ids.put(cells.get(i), created.get(i));
        }
        return created;
    }

    void forget(Tallies.Cell cell) {
        ids.remove(cell);
    }

    /** After the read model was emptied. */
    void clear() {
        ids.clear();
    }

    private static Long lookUp(PreparedStatement lookup, Tallies.Cell cell) throws SQLException {
        bindKey(lookup, 1, cell);
        try (ResultSet rs = lookup.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    private static void bindKey(PreparedStatement statement, int first, Tallies.Cell cell) throws SQLException {
        statement.setString(first, cell.pipelineId());
        statement.setString(first + 1, cell.slice());
        statement.setString(first + 2, cell.metric());
        statement.setString(first + 3, cell.k1());
        statement.setString(first + 4, cell.k2());
        statement.setString(first + 5, cell.k3());
        statement.setString(first + 6, cell.k4());
    }
}
