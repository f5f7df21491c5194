package io.dealflow.analytics.projection;

import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the active read model says each partition is to be read from next: the offsets its own commits hold (see
 * {@code partition_progress.next_offset}), which can be behind the consumer group's when the database lost its last
 * commits, and ahead of them when an offset commit was lost.
 */
@Singleton
public class ConsumedOffsets {

    private final DataSource dataSource;

    public ConsumedOffsets(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Next offset by partition; partitions the read model holds nothing of are absent. */
    public Map<Integer, Long> next() throws SQLException {
        Map<Integer, Long> next = new HashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select partition_id, next_offset from partition_progress where next_offset is not null")) {
            while (rs.next()) {
                next.put(rs.getInt(1), rs.getLong(2));
            }
        }
        return next;
    }
}
