package io.dealflow.pipeline.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.TransactionTimedOutException;
import org.springframework.transaction.support.TransactionTemplate;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * On a real H2 database, through a data source that records each query timeout the statements are given: inside a
 * transaction with a timeout the connection gets the remaining time once, not once per statement (each time is a
 * {@code SET} that makes H2 parse every connection's statements again); past the transaction's deadline the next statement
 * is refused; outside a transaction no timeout is set.
 */
class TimeoutOnChangeJdbcTemplateTest {

    private final List<Integer> timeoutsSet = new ArrayList<>();
    private DataSource dataSource;
    private JdbcTemplate jdbc;
    private TransactionTemplate transaction;

    @BeforeEach
    void setUp() {
        // one connection used again and again, as from the service's pool
        dataSource = new DataSource(new SingleConnectionDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "sa", "", true));
        jdbc = new JdbcTemplateConfig().jdbcTemplate(dataSource);
        jdbc.execute("create table item (id int primary key)");
        transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        transaction.setTimeout(60);
        timeoutsSet.clear();
    }

    @Test
    void aTransactionsStatementsSetItsTimeoutOnce() {
        transaction.executeWithoutResult(status -> {
            for (int i = 0; i < 5; i++) {
                jdbc.update("insert into item (id) values (?)", i);
            }
            assertEquals(5, jdbc.queryForObject("select count(*) from item", Integer.class));
        });
        assertEquals(List.of(60), timeoutsSet, "the remaining 60 s set on the first statement only");

        transaction.executeWithoutResult(status -> jdbc.update("delete from item where id = ?", 0));
        assertEquals(List.of(60), timeoutsSet, "the next transaction's connection (the same, from the pool) already has it");
    }

    @Test
    void aStatementPastTheTransactionsDeadlineIsRefused() {
        transaction.setTimeout(1);
        assertThrows(TransactionTimedOutException.class, () -> transaction.executeWithoutResult(status -> {
            jdbc.update("insert into item (id) values (1)");
            sleep(1_100);
            jdbc.update("insert into item (id) values (2)");
        }));
        assertEquals(0, jdbc.queryForObject("select count(*) from item", Integer.class), "rolled back");
    }

    @Test
    void noTimeoutOutsideATransaction() {
        jdbc.update("insert into item (id) values (1)");
        assertEquals(List.of(), timeoutsSet);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The database, with every statement's setQueryTimeout recorded. */
    private final class DataSource extends DelegatingDataSource {

        DataSource(javax.sql.DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws java.sql.SQLException {
            Connection connection = super.getConnection();
            return proxy(Connection.class, connection, (self, method, args) -> {
                Object result = invoke(connection, method, args);
                return result instanceof Statement statement ? recording(statement) : result;
            });
        }

        private Statement recording(Statement statement) {
            Class<? extends Statement> type = statement instanceof java.sql.PreparedStatement
                    ? java.sql.PreparedStatement.class : Statement.class;
            return proxy(type, statement, (self, method, args) -> {
                if (method.getName().equals("setQueryTimeout")) {
                    timeoutsSet.add((Integer) args[0]);
                }
                return invoke(statement, method, args);
            });
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<? extends T> type, T target, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, handler);
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
