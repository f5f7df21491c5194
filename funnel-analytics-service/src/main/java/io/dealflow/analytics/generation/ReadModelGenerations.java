package io.dealflow.analytics.generation;

import io.dealflow.analytics.common.Database;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The read model's generations, one database schema each, named after the default schema ({@code public_model_1},
 * {@code public_model_2}, …) and made by the migrations of {@code db/read-model} (the read model's whole schema; on
 * PostgreSQL also {@code db/read-model-postgresql}). Each rebuild fills a new one while the active one keeps answering,
 * and makes it active by one committed update of {@code read_model_generation}. A rebuild that fails or is killed
 * leaves the active generation as it was; what it left half-filled is dropped before the next rebuild, as is the
 * generation it replaced (kept until then for the queries still reading it).
 * <p>
 * At startup: a database without a generation gets an empty first one (a database of the earlier layout, with the
 * read model in the default schema, has those tables dropped and is {@link #outdated()}: it must be rebuilt from the
 * topic); a generation made by fewer migrations than {@code db/read-model} holds is {@link #outdated()} too. The read
 * model is never migrated in place.
 */
@Context
public class ReadModelGenerations {

    /** The read model's tables, in an order that empties them without breaking a reference. */
    public static final List<String> MODEL_TABLES = List.of("tally", "tally_key", "tally_group", "stage_visit", "deal_amount",
            "close_date_change", "deal", "pending_event", "pipeline_stage", "pipeline_state", "partition_progress");
    private static final Logger log = LoggerFactory.getLogger(ReadModelGenerations.class);

    private final DataSource dataSource;
    private final SchemaSelection selection;
    private volatile boolean outdated;

    public ReadModelGenerations(DataSource dataSource, SchemaSelection selection) {
        this.dataSource = dataSource;
        this.selection = selection;
    }

    @PostConstruct
    void start() {
        refresh();
        if (selection.active() == null) {
            boolean earlierLayout = dropEarlierLayout();
            // no dropping of other generations here (only under the rebuild lease): instances starting side by side on
            // a new database all make and point at the same first generation, which Flyway makes once
            String first = prefix() + 1;
            flyway(first).migrate();
            pointFirst(first, !earlierLayout);
            refresh();
        }
        outdated = !pointedComplete() || flyway(selection.active()).info().pending().length > 0;
        if (outdated) {
            log.warn("The read model in {} was made by an earlier schema; it must be rebuilt from the topic", selection.active());
        }
    }

    /** True when the active generation must be rebuilt from the topic (its schema is older than the code's). */
    public boolean outdated() {
        return outdated;
    }

    /** Follows the pointer, which another instance's rebuild may have moved; true when the active generation changed. */
    public boolean refresh() {
        try (Connection c = dataSource.getConnection();
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select active_schema from " + control() + ".read_model_generation where id = 1")) {
            String pointed = r.next() ? r.getString(1) : null;
            if (Objects.equals(pointed, selection.active())) {
                return false;
            }
            log.info("The read model in schema {} answers", pointed == null ? control() : pointed);
            selection.activate(pointed);
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read which generation of the read model is active", e);
        }
    }

    /** The active generation's schema (null only before the first one is made at startup). */
    public String active() {
        return selection.active();
    }

    /** Drops what earlier rebuilds left, then creates the next generation's schema and tables (empty); under the rebuild lease. */
    public String createNext() {
        dropInactive();
        String active = selection.active();
        String next = prefix() + (active == null ? 1 : Long.parseLong(active.substring(prefix().length())) + 1);
        flyway(next).migrate();
        return next;
    }

    /** Runs {@code work} with this thread's connections on {@code schema} (queries and other threads stay on the active one). */
    public void fill(String schema, Runnable work) {
        selection.building(schema, work);
    }

    /** Makes {@code schema}, filled by a rebuild, the generation that answers: one committed update, then this instance follows it. */
    public void activate(String schema) {
        point(schema, true);
        outdated = false;
    }

    /** The first pointer, unless another instance starting beside this one set it already (its word stands). */
    private void pointFirst(String schema, boolean complete) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement("insert into " + control() + ".read_model_generation (id, active_schema, complete) values (1, ?, ?)")) {
            insert.setString(1, schema);
            insert.setBoolean(2, complete);
            insert.executeUpdate();
        } catch (SQLException e) {
            if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                throw new IllegalStateException("Cannot point at the first generation " + schema, e);
            }
        }
    }

    private void point(String schema, boolean complete) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement update = c.prepareStatement("update " + control() + ".read_model_generation set active_schema = ?, complete = ? where id = 1")) {
                update.setString(1, schema);
                update.setBoolean(2, complete);
                if (update.executeUpdate() == 0) {
                    try (PreparedStatement insert = c.prepareStatement("insert into " + control() + ".read_model_generation (id, active_schema, complete) values (1, ?, ?)")) {
                        insert.setString(1, schema);
                        insert.setBoolean(2, complete);
                        insert.executeUpdate();
                    }
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot make " + schema + " the active generation", e);
        }
        selection.activate(schema);
    }

    /** False while the active generation is an empty stand-in that only a rebuild can fill (kept across restarts). */
    private boolean pointedComplete() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select complete from " + control() + ".read_model_generation where id = 1")) {
            return !r.next() || r.getBoolean(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the generation pointer", e);
        }
    }

    /** Drops a generation that will not be activated (a failed rebuild's). */
    public void discard(String schema) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("drop schema if exists " + schema + " cascade");
        } catch (SQLException e) {
            log.warn("Could not drop {}; the next rebuild drops it", schema, e);
        }
    }

    private void dropInactive() {
        String active = selection.active();
        List<String> stale = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("select schema_name from information_schema.schemata")) {
                while (r.next()) {
                    String name = r.getString(1);
                    if (name.startsWith(prefix()) && !name.equals(active)) {
                        stale.add(name);
                    }
                }
            }
            for (String schema : stale) {
                log.info("Dropping {}, a generation of the read model that no longer answers", schema);
                s.execute("drop schema " + schema + " cascade");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot drop earlier generations of the read model", e);
        }
    }

    /** The read model of the earlier layout (in the default schema, migrated in place): dropped; true if it was there. */
    private boolean dropEarlierLayout() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            boolean found;
            try (PreparedStatement q = c.prepareStatement("select count(*) from information_schema.tables where table_schema = ? and table_name = 'deal'")) {
                q.setString(1, control());
                try (ResultSet r = q.executeQuery()) {
                    r.next();
                    found = r.getLong(1) > 0;
                }
            }
            if (found) {
                log.warn("Dropping the read model of the earlier layout in {}; it is rebuilt from the topic", control());
                for (String table : MODEL_TABLES) {
                    s.execute("drop table if exists " + control() + "." + table);
                }
                s.execute("drop sequence if exists " + control() + ".tally_cell_id");
                s.execute("drop sequence if exists " + control() + ".tally_group_id");
                s.execute("drop table if exists " + control() + ".flyway_schema_history");
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot look for the read model of the earlier layout", e);
        }
    }

    private Flyway flyway(String schema) {
        List<String> locations = new ArrayList<>(List.of("classpath:db/read-model"));
        try (Connection c = dataSource.getConnection()) {
            if (Database.isPostgres(c)) {
                locations.add("classpath:db/read-model-postgresql");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the database", e);
        }
        return Flyway.configure(getClass().getClassLoader()).dataSource(dataSource).schemas(schema).defaultSchema(schema)
                .createSchemas(true).locations(locations.toArray(String[]::new)).load();
    }

    /** Generations are named after the default schema: several deployments (or tests) may share one database. */
    private String prefix() {
        return control() + "_model_";
    }

    private String control() {
        if (selection.control() == null) {
            try (Connection ignored = dataSource.getConnection()) {
                // handing out a connection records the default schema
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot reach the database", e);
            }
        }
        return selection.control();
    }
}
