package io.dealflow.pipeline.imports;

import io.dealflow.pipeline.config.Actor;
import io.dealflow.pipeline.config.CommitWakingEventStore;
import io.dealflow.pipeline.config.TimeOrderedIdentifierFactory;
import io.dealflow.pipeline.deal.query.DealView;
import io.dealflow.pipeline.deal.query.DealViews;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a chunk of replayed deals in one transaction: their events appended to the event store in one batch (the
 * publisher puts them on Kafka from there, as it does every event), their deal_view rows, and the import's counts
 * (with how far the file had been read when the chunk was complete).
 * A deal already in the store (written by an earlier attempt of the same import) is left as it is; only a later
 * attempt looks for such deals, as a first attempt cannot find any (its deal ids are its own).
 */
@Component
class ImportWriter {

    static final String AGGREGATE_TYPE = "Deal";
    static final String IMPORT_METADATA_KEY = "importId";

    private final EventStorageEngine store;
    private final CommitWakingEventStore readers;
    private final DealViews views;
    private final ImportJobs jobs;
    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final Clock clock;

    ImportWriter(EventStorageEngine store, CommitWakingEventStore readers, DealViews views, ImportJobs jobs, NamedParameterJdbcTemplate jdbc,
                 PlatformTransactionManager transactions, Clock clock) {
        this.store = store;
        this.readers = readers;
        this.views = views;
        this.jobs = jobs;
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    void write(String importId, String actor, List<ReplayedDeal> deals, boolean earlierAttempts, ImportJobs.Reading reading) {
        transaction.executeWithoutResult(status -> {
            Set<String> present = earlierAttempts ? present(deals) : Set.of();
            MetaData metaData = Actor.metaData(actor).and(IMPORT_METADATA_KEY, importId);
            Instant recordedAt = clock.instant();
            List<DomainEventMessage<?>> messages = new ArrayList<>(deals.size() * 5);
            List<DealView> written = new ArrayList<>(deals.size());
            for (ReplayedDeal deal : deals) {
                String dealId = deal.view().dealId();
                if (present.contains(dealId)) {
                    continue;
                }
                List<Object> events = deal.events();
                for (int seq = 0; seq < events.size(); seq++) {
                    messages.add(new GenericDomainEventMessage<>(AGGREGATE_TYPE, dealId, seq, events.get(seq), metaData,
                            TimeOrderedIdentifierFactory.next().toString(), recordedAt));
                }
                written.add(deal.view());
            }
            store.appendEvents(messages);
            readers.appendedPastTheBus(messages);
            views.insertAll(written);
            jobs.written(importId, written.size(), present.size(), messages.size(), reading);
        });
    }

    private Set<String> present(List<ReplayedDeal> deals) {
        String[] ids = deals.stream().map(d -> d.view().dealId()).toArray(String[]::new);
        return new HashSet<>(jdbc.getJdbcTemplate().query(connection -> {
            var statement = connection.prepareStatement("select deal_id from deal_view where deal_id = any (?)");
            statement.setArray(1, connection.createArrayOf("varchar", ids));
            return statement;
        }, (rs, n) -> rs.getString(1)));
    }
}
