package io.dealflow.pipeline.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Statements inside a transaction get the transaction's remaining time as their query timeout, as Spring's template
 * does, but a connection that already has that timeout is not given it again. H2 runs {@code SET QUERY_TIMEOUT} for
 * every {@link Statement#setQueryTimeout}, and every {@code SET} makes every open connection throw away its parsed
 * statements: with a timeout set per statement, the statements of each command were parsed again.
 */
@Configuration
class JdbcTemplateConfig {

    @Bean
    JdbcTemplate jdbcTemplate(DataSource dataSource) {
        return new TimeoutOnChangeJdbcTemplate(dataSource);
    }

    /** Spring's template, with the query timeout set only where it changes. */
    static final class TimeoutOnChangeJdbcTemplate extends JdbcTemplate {

        TimeoutOnChangeJdbcTemplate(DataSource dataSource) {
            super(dataSource);
        }

        @Override
        protected void applyStatementSettings(Statement statement) throws SQLException {
            ConnectionHolder holder = (ConnectionHolder) TransactionSynchronizationManager.getResource(obtainDataSource());
            if (holder == null || !holder.hasTimeout()) {
                super.applyStatementSettings(statement);
                return;
            }
            if (getFetchSize() != -1) {
                statement.setFetchSize(getFetchSize());
            }
            if (getMaxRows() != -1) {
                statement.setMaxRows(getMaxRows());
            }
            // past the transaction's deadline this throws, as Spring's own check does
            int seconds = holder.getTimeToLiveInSeconds();
            if (statement.getQueryTimeout() != seconds) {
                statement.setQueryTimeout(seconds);
            }
        }
    }
}
