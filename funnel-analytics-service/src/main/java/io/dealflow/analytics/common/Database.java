package io.dealflow.analytics.common;

import java.sql.Connection;
import java.sql.SQLException;

/** The two databases the read model runs on differ in a few statements; this tells which one a connection is. */
public final class Database {

    private Database() {
    }

    public static boolean isPostgres(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
    }
}
