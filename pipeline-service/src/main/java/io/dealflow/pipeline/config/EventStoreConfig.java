package io.dealflow.pipeline.config;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The relational event store. Streaming processors skip a global-index gap once it is older than the gap
 * timeout; a transaction that commits later than that would lose its events for the publisher. So the gap
 * timeout is set well above the longest transaction the database allows (spring.transaction.default-timeout).
 */
@Configuration
class EventStoreConfig {

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
                .build();
    }
}
