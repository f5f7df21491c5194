package io.dealflow.analytics.projection;

import io.dealflow.analytics.common.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ids of the counter groups and cells (V11), remembered once read: the first time a cell of a group is needed,
 * all the group's cells are read in one range. An id remembered from before a rebuild emptied the tables finds no
 * counter row; {@link Tallies#write} then forgets it and reads the group again. Ids created by a transaction are
 * remembered only after it committed ({@link #remember}), so no other consumer thread builds on a row that may
 * still roll back.
 */
final class TallyCells {

    /** A group's cell ids are {@code group_id * GROUP_SPAN} plus a number below it. */
    static final long GROUP_SPAN = 1L << 32;
    private static final long NO_GROUP = -1;

    record Group(String pipelineId, String slice, String metric) {

        static Group of(Tallies.Cell cell) {
            return new Group(cell.pipelineId(), cell.slice(), cell.metric());
        }
    }

    /** What a transaction created, to remember once it committed. */
    record Created(List<Long> ids, Map<Tallies.Cell, Long> cells, Map<Group, Long> groups) {

        static final Created NOTHING = new Created(List.of(), Map.of(), Map.of());
    }

    private final Map<Tallies.Cell, Long> ids = new ConcurrentHashMap<>();
    /** The groups read so far, with the id new cells go into ({@link #NO_GROUP} while the group has no row). */
    private final Map<Group, Long> groups = new ConcurrentHashMap<>();

    /** The id of each cell (same order); null where the cell has no row yet. */
    List<Long> find(Connection c, List<Tallies.Cell> cells) throws SQLException {
        List<Long> found = new ArrayList<>(cells.size());
        for (Tallies.Cell cell : cells) {
            Long id = ids.get(cell);
            if (id == null && !groups.containsKey(Group.of(cell))) {
                read(c, Group.of(cell));
                id = ids.get(cell);
            }
            found.add(id);
        }
        return found;
    }

    /** Reads every cell of the group (of every row of it, if two instances created it at the same moment). */
    private void read(Connection c, Group group) throws SQLException {
        List<Long> groupIds = new ArrayList<>();
        Jdbc.query(c, "select group_id from tally_group where pipeline_id = ? and slice = ? and metric = ? order by group_id",
                List.of(group.pipelineId(), group.slice(), group.metric()), rs -> groupIds.add(rs.getLong(1)));
        for (long groupId : groupIds) {
            Jdbc.query(c, "select cell_id, k1, k2, k3, k4 from tally_key where cell_id >= ? and cell_id < ? order by cell_id",
                    List.of(groupId * GROUP_SPAN, (groupId + 1) * GROUP_SPAN), rs -> ids.putIfAbsent(new Tallies.Cell(group.pipelineId(),
                            group.slice(), group.metric(), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)), rs.getLong(1)));
        }
        groups.put(group, groupIds.isEmpty() ? NO_GROUP : groupIds.get(0));
    }

    /** Creates the key rows of these new cells (and of the groups they need) and returns their ids ({@link Created#ids()}, same order). */
    Created create(Connection c, List<Tallies.Cell> cells) throws SQLException {
        Map<Group, Long> newGroups = new HashMap<>();
        List<Long> created = new ArrayList<>(cells.size());
        Map<Tallies.Cell, Long> newCells = new HashMap<>();
        try (PreparedStatement insertGroup = c.prepareStatement(
                "insert into tally_group (group_id, pipeline_id, slice, metric) values (?, ?, ?, ?)");
             PreparedStatement insertKey = c.prepareStatement("insert into tally_key (cell_id, k1, k2, k3, k4) values (?, ?, ?, ?, ?)")) {
            List<Long> numbers = next(c, "tally_cell_id", cells.size());
            for (int i = 0; i < cells.size(); i++) {
                Group group = Group.of(cells.get(i));
                Long groupId = newGroups.get(group);
                if (groupId == null) {
                    groupId = groups.getOrDefault(group, NO_GROUP);
                }
                if (groupId == NO_GROUP) {
                    groupId = next(c, "tally_group_id", 1).get(0);
                    insertGroup.setLong(1, groupId);
                    insertGroup.setString(2, group.pipelineId());
                    insertGroup.setString(3, group.slice());
                    insertGroup.setString(4, group.metric());
                    insertGroup.addBatch();
                    newGroups.put(group, groupId);
                }
                long id = groupId * GROUP_SPAN + numbers.get(i) % GROUP_SPAN;
                Tallies.Cell cell = cells.get(i);
                insertKey.setLong(1, id);
                insertKey.setString(2, cell.k1());
                insertKey.setString(3, cell.k2());
                insertKey.setString(4, cell.k3());
                insertKey.setString(5, cell.k4());
                insertKey.addBatch();
                created.add(id);
                newCells.put(cell, id);
            }
            insertGroup.executeBatch();
            insertKey.executeBatch();
        }
        return new Created(created, newCells, newGroups);
    }

    /** After the transaction that created them committed. */
    void remember(Created created) {
        ids.putAll(created.cells());
        groups.putAll(created.groups());
    }

    /** A cell whose remembered id found no row: its group is read again when next needed. */
    void forget(Tallies.Cell cell) {
        ids.remove(cell);
        groups.remove(Group.of(cell));
    }

    /** After the read model was emptied. */
    void clear() {
        ids.clear();
        groups.clear();
    }

    private static List<Long> next(Connection c, String sequence, int count) throws SQLException {
        List<Long> values = new ArrayList<>(count);
        try (PreparedStatement next = c.prepareStatement("select nextval('" + sequence + "') from generate_series(1, ?)")) {
            next.setInt(1, count);
            try (ResultSet rs = next.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getLong(1));
                }
            }
        }
        return values;
    }
}
