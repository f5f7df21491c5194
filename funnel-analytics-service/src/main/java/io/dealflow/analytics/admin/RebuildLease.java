package io.dealflow.analytics.admin;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The database row that makes a rebuild exclusive across instances: taken before a rebuild starts, renewed while it
 * runs, deleted when it ends. A holder that stops renewing (killed halfway) loses it after {@code expiry}.
 */
@Singleton
public class RebuildLease {

    private static final int ID = 1;

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration expiry;
    private final String me = "analytics-" + UUID.randomUUID();

    public RebuildLease(DataSource dataSource, Clock clock, @Value("${dealflow.rebuild.lease-expiry:2m}") Duration expiry) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.expiry = expiry;
    }

    /** Takes the lease if nobody holds it or its holder stopped renewing; false when another instance holds it. */
    public boolean acquire() {
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("update rebuild_lease set holder = ?, renewed_at = ? where id = ? and renewed_at < ?")) {
                s.setString(1, me);
                s.setTimestamp(2, Timestamp.from(now));
                s.setInt(3, ID);
                s.setTimestamp(4, Timestamp.from(now.minus(expiry)));
                if (s.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement s = c.prepareStatement("insert into rebuild_lease (id, holder, renewed_at) values (?, ?, ?)")) {
                s.setInt(1, ID);
                s.setString(2, me);
                s.setTimestamp(3, Timestamp.from(now));
                s.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                    return false;
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot take the rebuild lease", e);
        }
    }

    public void renew() {
        run("update rebuild_lease set renewed_at = ? where id = ? and holder = ?", Timestamp.from(clock.instant()));
    }

    public void release() {
        run("delete from rebuild_lease where id = ? and holder = ?", null);
    }

    /** The other instance rebuilding now, if any (a lease not renewed within the expiry does not count). */
    public Optional<String> heldByAnother() {
        return holder(me);
    }

    /** Whether a rebuild runs now, on this instance or another. */
    public boolean held() {
        return holder("").isPresent();
    }

    private Optional<String> holder(String except) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select holder from rebuild_lease where id = ? and holder <> ? and renewed_at >= ?")) {
            s.setInt(1, ID);
            s.setString(2, except);
            s.setTimestamp(3, Timestamp.from(clock.instant().minus(expiry)));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the rebuild lease", e);
        }
    }

    private void run(String sql, Timestamp renewedAt) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            if (renewedAt != null) {
                s.setTimestamp(i++, renewedAt);
            }
            s.setInt(i++, ID);
            s.setString(i, me);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot update the rebuild lease", e);
        }
    }
}
