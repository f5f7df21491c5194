package io.dealflow.analytics.ingest;

import io.dealflow.analytics.projection.DecodedEvent;
import io.dealflow.analytics.projection.ConcurrentApplication;
import io.dealflow.analytics.projection.FunnelProjection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Turns records into applied events: decode, park poison on the dead-letter topic, apply the batch in one
 * transaction, count the outcome. Consumer threads apply their batches side by side; a rebuild holds them all still.
 */
@Singleton
public class Ingestion {

    private static final Logger log = LoggerFactory.getLogger(Ingestion.class);

    private final EventDecoder decoder;
    private final DeadLetters deadLetters;
    private final FunnelProjection projection;
    private final ProjectionSpans spans;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Counter applied;
    private final Counter duplicates;
    private final Counter unknown;
    private final Counter parked;
    private final Counter gaps;
    private final DistributionSummary batchSizes;

    public Ingestion(EventDecoder decoder, DeadLetters deadLetters, FunnelProjection projection, ProjectionSpans spans, MeterRegistry meters) {
        this.decoder = decoder;
        this.deadLetters = deadLetters;
        this.projection = projection;
        this.spans = spans;
        this.applied = counter(meters, "applied");
        this.duplicates = counter(meters, "duplicate");
        this.unknown = counter(meters, "unknown_type");
        this.parked = counter(meters, "dead_letter");
        this.gaps = counter(meters, "gap");
        this.batchSizes = DistributionSummary.builder("dealflow.projection.batch.size")
                .description("Records per applied batch (one database transaction)").register(meters);
    }

    private static Counter counter(MeterRegistry meters, String outcome) {
        return Counter.builder("dealflow.projection.events").description("Deal events by what applying them did")
                .tag("outcome", outcome).register(meters);
    }

    public FunnelProjection.Summary ingest(List<ConsumerRecord<String, byte[]>> records) {
        List<Span> traced = spans.start(records);
        try {
            FunnelProjection.Summary summary = decodeAndApply(records);
            spans.end(traced, null);
            return summary;
        } catch (RuntimeException e) {
            spans.end(traced, e);
            throw e;
        }
    }

    private FunnelProjection.Summary decodeAndApply(List<ConsumerRecord<String, byte[]>> records) {
        List<FunnelProjection.Delivery> deliveries = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            DecodedEvent event = decoder.decode(record);
            if (event instanceof DecodedEvent.Poison poison) {
                RecordTrace.log(record, () -> log.warn("Dead-lettering {}/{}@{}: {}", record.topic(), record.partition(), record.offset(), poison.reason()));
                deadLetters.park(record, poison.reason());
            } else if (event instanceof DecodedEvent.Unknown type) {
                RecordTrace.log(record, () -> log.info("Skipping unknown event type {} at {}/{}@{}", type.type(), record.topic(), record.partition(), record.offset()));
            }
            deliveries.add(new FunnelProjection.Delivery(record.partition(), record.offset(), event));
        }
        lock.readLock().lock();
        try {
            FunnelProjection.Summary summary = applyParkingWhatCannotBeApplied(records, deliveries);
            batchSizes.record(deliveries.size());
            applied.increment(summary.applied());
            duplicates.increment(summary.duplicates());
            unknown.increment(summary.unknown());
            parked.increment(summary.deadLetters());
            gaps.increment(summary.gaps());
            if (summary.gaps() > 0) {
                log.warn("{} event(s) came before an earlier event of their deal and wait for it (waitingEvents in /api/v1/analytics/freshness)", summary.gaps());
            }
            return summary;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Applies the batch in one transaction. If that fails while the database answers, some record in it cannot be
     * applied (it passed the schema, but the read model cannot hold it): the records are then applied one by one, and
     * the one that fails goes to the dead-letter topic with the reason while the others are applied. If the database
     * does not answer, nothing is parked: the failure goes back to the listener, which tries the batch again a second
     * later, for as long as it takes.
     */
    private FunnelProjection.Summary applyParkingWhatCannotBeApplied(List<ConsumerRecord<String, byte[]>> records,
                                                                     List<FunnelProjection.Delivery> deliveries) {
        try {
            return projection.apply(deliveries);
        } catch (RuntimeException batchFailure) {
            if (!projection.databaseAnswers() || !isAboutTheData(batchFailure)) {
                throw batchFailure;
            }
            log.warn("A batch of {} records failed while the database answers: applying them one by one", deliveries.size(), batchFailure);
        }
        int applied = 0, duplicates = 0, unknown = 0, dead = 0, gaps = 0;
        for (int i = 0; i < deliveries.size(); i++) {
            try {
                FunnelProjection.Summary one = projection.apply(List.of(deliveries.get(i)));
                applied += one.applied();
                duplicates += one.duplicates();
                unknown += one.unknown();
                dead += one.deadLetters();
                gaps += one.gaps();
            } catch (RuntimeException e) {
                if (!projection.databaseAnswers() || !isAboutTheData(e)) {
                    throw e;
                }
                ConsumerRecord<String, byte[]> record = records.get(i);
                String reason = "could not be applied: " + rootCause(e);
                RecordTrace.log(record, () -> log.warn("Dead-lettering {}/{}@{}: {}", record.topic(), record.partition(), record.offset(), reason));
                deadLetters.park(record, reason);
                dead++;
            }
        }
        return new FunnelProjection.Summary(applied, duplicates, unknown, dead, gaps);
    }

    /**
     * Whether a failure says something about the records rather than about the moment: a data exception (SQL state
     * class 22: too long, out of range), a constraint the data breaks (class 23, but for a duplicate key, which is a
     * concurrent insert), or an error outside the database. A concurrent change of the same deal is the moment's.
     */
    private static boolean isAboutTheData(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof ConcurrentApplication) {
                return false;
            }
            if (e instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                return state.startsWith("22") || (state.startsWith("23") && !state.equals("23505"));
            }
        }
        return true;
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage());
        return root.getClass().getSimpleName() + ": " + (message.length() > 500 ? message.substring(0, 500) + "..." : message);
    }

    /** Runs {@code work} while no batch is being applied by this instance. */
    public void exclusively(Runnable work) {
        lock.writeLock().lock();
        try {
            work.run();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
