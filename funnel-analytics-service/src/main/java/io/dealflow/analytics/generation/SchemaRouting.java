package io.dealflow.analytics.generation;

import io.dealflow.analytics.common.Database;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.logging.Logger;

/**
 * Points every connection the pool hands out at the schema {@link SchemaSelection} names (and, behind it, the default
 * schema, for the lease and the generation pointer). The pool does not see the change, so a connection keeps it: the
 * statement runs only when a connection last pointed elsewhere — once per connection and generation.
 */
@Singleton
class SchemaRouting implements BeanCreatedEventListener<DataSource> {

    private final SchemaSelection selection;

    SchemaRouting(SchemaSelection selection) {
        this.selection = selection;
    }

    @Override
    public DataSource onCreated(BeanCreatedEvent<DataSource> event) {
        return new Routed(event.getBean(), selection);
    }

    private static final class Routed implements DataSource {

        private final DataSource pool;
        private final SchemaSelection selection;
        private final Map<Connection, String> pointedAt = Collections.synchronizedMap(new WeakHashMap<>());

        Routed(DataSource pool, SchemaSelection selection) {
            this.pool = pool;
            this.selection = selection;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return route(pool.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return route(pool.getConnection(username, password));
        }

        private Connection route(Connection c) throws SQLException {
            try {
                Connection physical = c.unwrap(Connection.class);
                if (selection.control() == null) {
                    selection.control(physical.getSchema());
                }
                String wanted = selection.target() != null ? selection.target() : selection.control();
                if (wanted == null) {
                    return c;
                }
                if (!wanted.equals(pointedAt.getOrDefault(physical, selection.control()))) {
                    try (Statement s = physical.createStatement()) {
                        if (Database.isPostgres(physical)) {
                            s.execute("set search_path to " + quote(wanted) + ", " + quote(selection.control()));
                        } else {
                            s.execute("set schema " + quote(wanted));
                            s.execute("set schema_search_path " + quote(selection.control()));
                        }
                    }
                    if (!physical.getAutoCommit()) {
                        physical.commit();
                    }
                    pointedAt.put(physical, wanted);
                }
                return c;
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
        }

        private static String quote(String schema) {
            return '"' + schema.replace("\"", "") + '"';
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return pool.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            pool.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            pool.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return pool.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return pool.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return iface.isInstance(pool) ? iface.cast(pool) : pool.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return iface.isInstance(pool) || pool.isWrapperFor(iface);
        }
    }
}
