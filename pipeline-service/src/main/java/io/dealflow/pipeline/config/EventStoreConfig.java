package io.dealflow.pipeline.config;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;

/**
 * The relational event store. Streaming processors skip a global-index gap once it is older than the gap
 * timeout; a transaction that commits later than that would lose its events for the publisher. So the gap
 * timeout is set well above the longest transaction the database allows (spring.transaction.default-timeout).
 */
@Configuration
class EventStoreConfig {

    /**
     * Connections for the event store and the token store are the ones Spring's transaction holds. Axon's default
     * wraps them so that every unit of work commits (or rolls back) the connection itself; Spring already does that,
     * and the unit-of-work commit would end a shared transaction after every command (see GroupCommit).
     */
    @Bean
    ConnectionProvider connectionProvider(DataSource dataSource) {
        return new SpringDataSourceConnectionProvider(dataSource);
    }

    /**
     * The event store as Axon configures it, but its readers are woken when appended events are committed (see
     * {@link CommitWakingEventStore}), and each reader reads the storage itself, a batch at a time. Axon's shared
     * read-ahead (its default) fetches every committed event into a list that a reader still following it keeps
     * reachable from the event it is at: while an import ran ahead of the publisher that held ~300,000 events
     * (~400 MB) until the service ran out of memory (Axon issue #2954). The store has one reader, the publisher.
     */
    @Bean
    CommitWakingEventStore eventStore(EventStorageEngine storageEngine, org.axonframework.config.Configuration configuration,
                                  @Value("${dealflow.event-store.wake-interval}") Duration wakeInterval) {
        return (CommitWakingEventStore) CommitWakingEventStore.wakingBuilder(wakeInterval)
                .storageEngine(storageEngine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .optimizeEventConsumption(false)
                .build();
    }

    /**
     * Duplicate-key errors on append are concurrency conflicts (Axon declares this only when it builds the store).
     * Recognised by SQL state 23505 (unique violation) anywhere in the cause chain: H2 reports a batched append's
     * violation as a BatchUpdateException, which the class-based resolver took for an unknown failure (a 500).
     */
    @Bean
    PersistenceExceptionResolver persistenceExceptionResolver() {
        return new SQLStateResolver("23505");
    }

    @Bean
    EventStorageEngine eventStorageEngine(Serializer defaultSerializer,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          PersistenceExceptionResolver persistenceExceptionResolver,
                                          ConnectionProvider connectionProvider,
                                          TransactionManager transactionManager,
                                          org.axonframework.config.Configuration configuration,
                                          @Value("${dealflow.event-store.gap-timeout-ms}") int gapTimeout,
                                          @Value("${dealflow.event-store.batch-size}") int batchSize) {
        return JdbcEventStorageEngine.builder()
                .snapshotSerializer(defaultSerializer)
                .eventSerializer(eventSerializer)
                .upcasterChain(configuration.upcasterChain())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(new EventSchema())
                .dataType(byte[].class)
                .gapTimeout(gapTimeout)
                .gapCleaningThreshold(1000)
                .batchSize(batchSize)
                .readEventDataWithGaps(EventStoreConfig::readEventDataWithGaps)
                .build();
    }

    /**
     * Axon's default reads "index in (next range) OR index in (gaps)". H2 answers that OR with a full table scan,
     * which under concurrent writes (there are always a few transient gaps) made the publisher scan the whole store
     * on every poll. Two index range lookups joined with UNION ALL return the same rows (gaps lie below the range).
     */
    static PreparedStatement readEventDataWithGaps(Connection connection, EventSchema schema, long globalIndex, int batchSize,
                                                   List<Long> gaps) throws SQLException {
        String select = "SELECT " + schema.trackedEventFields() + " FROM " + schema.domainEventTable() + " WHERE ";
        String sql = select + schema.globalIndexColumn() + " > ? AND " + schema.globalIndexColumn() + " <= ?"
                + " UNION ALL " + select + schema.globalIndexColumn() + " IN (" + String.join(",", Collections.nCopies(gaps.size(), "?")) + ")"
                + " ORDER BY " + schema.globalIndexColumn() + " ASC";
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.setLong(1, globalIndex);
        statement.setLong(2, globalIndex + batchSize);
        for (int i = 0; i < gaps.size(); i++) {
            statement.setLong(i + 3, gaps.get(i));
        }
        return statement;
    }
}
