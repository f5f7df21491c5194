package db.callback;

import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * V12 landed under two descriptions: "Fill the counter tables" and, a release later, "Recount tallies" (now a no-op;
 * V14 does the work). Flyway refuses to start on a description that differs from the code's, so before it validates,
 * a read model that applied the first has its history row brought to the current description. Flyway finds this
 * callback by itself (package db.callback).
 */
public class KeepLandedMigrationNames implements Callback {

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_VALIDATE || event == Event.BEFORE_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        Connection c = context.getConnection();
        String table = context.getConfiguration().getTable();
        try {
            if (!exists(c, table)) {
                return;
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate("update " + table + " set description = 'Recount tallies'"
                        + " where version = '12' and description = 'Fill the counter tables'");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not bring V12's history row to its current description", e);
        }
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        for (String name : new String[] {table, table.toUpperCase()}) {
            try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), name, null)) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String getCallbackName() {
        return "KeepLandedMigrationNames";
    }
}
