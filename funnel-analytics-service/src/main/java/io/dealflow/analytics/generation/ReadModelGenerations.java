package io.dealflow.analytics.generation;

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
 * The read model's generations, one database schema each: the first is the connections' default schema (Flyway's),
 * each rebuild fills a new one (for the default schema {@code public}: {@code public_model_1}, {@code public_model_2}, …) with the same migrations while the active one keeps
 * answering, and makes it active by one committed update of {@code read_model_generation}. A rebuild that fails or is
 * killed leaves the active generation as it was; what it left half-filled is dropped before the next rebuild, as is the
 * generation it replaced (kept until then for the queries still reading it).
 */
@Context
public class ReadModelGenerations {

    /** The read model's tables, in an order that empties them without breaking a reference. */
    public static final List<String> MODEL_TABLES = List.of("tally", "tally_key", "tally_group", "stage_visit", "deal_amount",
            "close_date_change", "deal", "pending_event", "pipeline_stage", "pipeline_state", "partition_progress");
    /** Tables of the default schema only: the migrations create them in each generation too, where they are dropped. */
    private static final List<String> CONTROL_TABLES = List.of("rebuild_lease", "read_model_generation");
    private static final Logger log = LoggerFactory.getLogger(ReadModelGenerations.class);

    private final DataSource dataSource;
    private final SchemaSelection selection;

    public ReadModelGenerations(DataSource dataSource, SchemaSelection selection) {
        this.dataSource = dataSource;
        this.selection = selection;
    }

    @PostConstruct
    void start() {
        refresh();
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

    /** The active generation's schema, null for the default schema. */
    public String active() {
        return selection.active();
    }

    /** Drops what earlier rebuilds left, then creates the next generation's schema and tables (empty). */
    public String createNext() {
        dropInactive();
        String active = selection.active();
        String next = prefix() + (active == null ? 1 : Long.parseLong(active.substring(prefix().length())) + 1);
        Flyway.configure(getClass().getClassLoader()).dataSource(dataSource).schemas(next).defaultSchema(next)
                .createSchemas(true).load().migrate();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String table : CONTROL_TABLES) {
                s.execute("drop table " + next + "." + table);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot prepare schema " + next, e);
        }
        return next;
    }

    /** Runs {@code work} with this thread's connections on {@code schema} (queries and other threads stay on the active one). */
    public void fill(String schema, Runnable work) {
        selection.building(schema, work);
    }

    /** Makes {@code schema} the generation that answers: one committed update, then this instance follows it at once. */
    public void activate(String schema) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement update = c.prepareStatement("update " + control() + ".read_model_generation set active_schema = ? where id = 1")) {
                update.setString(1, schema);
                if (update.executeUpdate() == 0) {
                    try (PreparedStatement insert = c.prepareStatement("insert into " + control() + ".read_model_generation (id, active_schema) values (1, ?)")) {
                        insert.setString(1, schema);
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
            if (active != null) {
                for (String table : MODEL_TABLES) {
                    s.execute("delete from " + control() + "." + table);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot drop earlier generations of the read model", e);
        }
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
