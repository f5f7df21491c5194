package io.dealflow.analytics.admin;

import io.dealflow.analytics.projection.FunnelProjection;
import io.dealflow.analytics.generation.ReadModelGenerations;
import io.dealflow.analytics.ingest.Ingestion;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.configuration.kafka.ConsumerRegistry;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micronaut.context.annotation.Value;

import java.time.Duration;
import java.util.Set;

/**
 * Rebuilds the read model from the start of the topic. First the topic must hold everything the event store holds
 * (the store is the source of truth; a topic recreated or cut short would silently lose deals): when it lacks events,
 * pipeline-service is asked to publish its store again and the rebuild waits until the topic has them, or fails with the
 * read model untouched. Then every record up to the current end is applied to a new generation of the read model (a
 * schema beside the one that answers, see {@link ReadModelGenerations}), which is swapped in when complete: until then,
 * and for good if the rebuild fails or is killed, the previous read model answers. One rebuild at a time across
 * instances ({@link RebuildLease}); the others stop consuming while it runs and follow the swap ({@link RebuildWatch}).
 */
@Singleton
public class Rebuild {

    private static final Logger log = LoggerFactory.getLogger(Rebuild.class);

    @io.micronaut.serde.annotation.Serdeable
    public record Result(long records, long applied, long millis, double eventsPerSecond) {
    }

    /** State of the latest rebuild: IDLE, REPUBLISHING, RUNNING, DONE or FAILED, with its progress, result or error. */
    @io.micronaut.serde.annotation.Serdeable
    public record Status(String state, java.time.Instant startedAt, Result result, String error, Progress progress) {
    }

    /** How far a replay has come: records on the topic to read, read so far, applied, the rate, and what is left. */
    @io.micronaut.serde.annotation.Serdeable
    public record Progress(long recordsTotal, long recordsRead, long applied, double eventsPerSecond, Long etaSeconds) {

        static Progress of(long total, long read, long applied, long nanos) {
            double rate = nanos <= 0 ? 0 : read * 1e9 / nanos;
            Long eta = rate > 0 ? Math.round((total - read) / rate) : null;
            return new Progress(total, read, applied, Math.round(rate * 10) / 10.0, eta);
        }
    }

    private volatile Status status = new Status("IDLE", null, null, null, null);

    public Status status() {
        return status;
    }

    /** Starts a rebuild in the background; false when one is already running here or on another instance. */
    public synchronized boolean start() {
        if ("RUNNING".equals(status.state()) || "REPUBLISHING".equals(status.state()) || !lease.acquire()) {
            return false;
        }
        java.time.Instant started = java.time.Instant.now();
        status = new Status("RUNNING", started, null, null, null);
        Thread worker = new Thread(() -> {
            java.util.concurrent.ScheduledExecutorService renewal = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            renewal.scheduleWithFixedDelay(lease::renew, 10, 10, java.util.concurrent.TimeUnit.SECONDS);
            Status end;
            try {
                end = new Status("DONE", started, run(), null, status.progress());
            } catch (RuntimeException e) {
                log.error("Rebuild failed", e);
                end = new Status("FAILED", started, null, e.getMessage(), status.progress());
            }
            renewal.shutdownNow();
            try {
                lease.release();
            } catch (RuntimeException e) {
                log.warn("Could not release the rebuild lease; it expires unrenewed", e);
            }
            status = end; // reported once the lease is free, so a rebuild that reads DONE can be followed by another
        }, "read-model-rebuild");
        worker.setDaemon(true);
        worker.start();
        return true;
    }

    private final ConsumerRegistry consumers;
    private final Ingestion ingestion;
    private final FunnelProjection projection;
    private final TopicReplay replay;
    private final Reconciliation store;
    private final RebuildLease lease;
    private final ReadModelGenerations generations;
    private final boolean storeCheck;
    private final Duration republishTimeout;

    public Rebuild(ConsumerRegistry consumers, Ingestion ingestion, FunnelProjection projection, TopicReplay replay,
                   Reconciliation store, RebuildLease lease, ReadModelGenerations generations, MeterRegistry meters,
                   @Value("${dealflow.rebuild.store-check:true}") boolean storeCheck,
                   @Value("${dealflow.rebuild.republish-timeout:10m}") Duration republishTimeout) {
        this.consumers = consumers;
        this.ingestion = ingestion;
        this.projection = projection;
        this.replay = replay;
        this.store = store;
        this.lease = lease;
        this.generations = generations;
        this.storeCheck = storeCheck;
        this.republishTimeout = republishTimeout;
        Gauge.builder("dealflow.rebuild.running", this,
                        r -> "RUNNING".equals(r.status.state()) || "REPUBLISHING".equals(r.status.state()) ? 1 : 0)
                .description("1 while this instance rebuilds the read model").register(meters);
    }

    /** Until the topic holds every event of the store: asks pipeline-service to publish again, and waits. */
    private void ensureTopicHoldsTheStore() {
        try {
            Set<String> missing = store.shortOnTopic();
            if (missing.isEmpty()) {
                return;
            }
            log.warn("The topic lacks events of {} aggregates that the store holds (e.g. {}); asking pipeline-service to publish its store again",
                    missing.size(), missing.iterator().next());
            Status running = status;
            status = new Status("REPUBLISHING", running.startedAt(), null, missing.size() + " aggregates lack events on the topic", null);
            store.requestRepublish();
            long deadline = System.nanoTime() + republishTimeout.toNanos();
            while (!(missing = store.shortOnTopic()).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("After " + republishTimeout + " the topic still lacks events of " + missing.size()
                            + " aggregates; the read model was left as it was");
                }
                Thread.sleep(2_000);
            }
            status = running;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot compare the topic with pipeline-service's store (" + e.getMessage()
                    + "); the read model was left as it was", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the republish; the read model was left as it was", e);
        }
    }

    private void progress(Progress progress) {
        Status now = status;
        status = new Status(now.state(), now.startedAt(), now.result(), now.error(), progress);
    }

    /**
     * Fills a new generation of the read model from the whole topic while the active one keeps answering, then makes it
     * active. Live consumption on this instance is held still meanwhile (its batches would land in the old generation
     * and be missing from the new), and resumes where it was: what it re-reads is recognised as applied.
     */
    public synchronized Result run() {
        if (storeCheck) {
            ensureTopicHoldsTheStore();
        }
        String next = generations.createNext();
        Set<String> ids = consumers.getConsumerIds();
        ids.forEach(consumers::pause);
        try {
            long start = System.nanoTime();
            long[] applied = {0};
            long[] records = {0};
            long[] total = {0};
            ingestion.exclusively(() -> {
                generations.fill(next, () -> replay.readAll(count -> total[0] = count, batch -> {
                    applied[0] += ingestion.ingest(batch).applied();
                    records[0] += batch.size();
                    progress(Progress.of(total[0], records[0], applied[0], System.nanoTime() - start));
                }));
                String replaced = generations.active();
                generations.activate(next);
                projection.forget(replaced);
            });
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            Result result = new Result(records[0], applied[0], millis, millis == 0 ? records[0] : records[0] * 1000.0 / millis);
            log.info("Rebuilt the read model into {} from {} records ({} applied) in {} ms", next, result.records(), result.applied(), millis);
            return result;
        } catch (RuntimeException e) {
            if (!next.equals(generations.active())) {
                generations.discard(next);
                projection.forget(next);
            }
            throw e;
        } finally {
            ids.forEach(consumers::resume);
        }
    }
}
