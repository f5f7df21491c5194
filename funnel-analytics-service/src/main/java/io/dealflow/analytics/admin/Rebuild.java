package io.dealflow.analytics.admin;

import io.dealflow.analytics.projection.FunnelProjection;
import io.dealflow.analytics.ingest.Ingestion;
import io.micronaut.configuration.kafka.ConsumerRegistry;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;

/**
 * Rebuilds the read model from the start of the topic. The live consumer is paused and the projection held
 * still while the tables are emptied and every record up to the current end is applied again; afterwards the
 * live consumer resumes where it was, and what it re-reads is recognised as already applied.
 * With several instances, run it while only one instance consumes.
 */
@Singleton
public class Rebuild {

    private static final Logger log = LoggerFactory.getLogger(Rebuild.class);

    @io.micronaut.serde.annotation.Serdeable
    public record Result(long records, long applied, long millis, double eventsPerSecond) {
    }

    /** State of the latest rebuild: IDLE, RUNNING, DONE or FAILED, with its result or error. */
    @io.micronaut.serde.annotation.Serdeable
    public record Status(String state, java.time.Instant startedAt, Result result, String error) {
    }

    private volatile Status status = new Status("IDLE", null, null, null);

    public Status status() {
        return status;
    }

    /** Starts a rebuild in the background; false when one is already running. */
    public synchronized boolean start() {
        if ("RUNNING".equals(status.state())) {
            return false;
        }
        java.time.Instant started = java.time.Instant.now();
        status = new Status("RUNNING", started, null, null);
        Thread worker = new Thread(() -> {
            try {
                status = new Status("DONE", started, run(), null);
            } catch (RuntimeException e) {
                log.error("Rebuild failed", e);
                status = new Status("FAILED", started, null, e.getMessage());
            }
        }, "read-model-rebuild");
        worker.setDaemon(true);
        worker.start();
        return true;
    }

    private final ConsumerRegistry consumers;
    private final Ingestion ingestion;
    private final FunnelProjection projection;
    private final TopicReplay replay;

    public Rebuild(ConsumerRegistry consumers, Ingestion ingestion, FunnelProjection projection, TopicReplay replay) {
        this.consumers = consumers;
        this.ingestion = ingestion;
        this.projection = projection;
        this.replay = replay;
    }

    public synchronized Result run() {
        Set<String> ids = consumers.getConsumerIds();
        ids.forEach(consumers::pause);
        try {
            long start = System.nanoTime();
            long[] applied = {0};
            long[] records = {0};
            ingestion.exclusively(() -> {
                projection.truncate();
                records[0] = replay.readAll(batch -> applied[0] += ingestion.ingest(batch).applied());
            });
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            Result result = new Result(records[0], applied[0], millis, millis == 0 ? records[0] : records[0] * 1000.0 / millis);
            log.info("Rebuilt the read model from {} records ({} applied) in {} ms", result.records(), result.applied(), millis);
            return result;
        } finally {
            ids.forEach(consumers::resume);
        }
    }
}
