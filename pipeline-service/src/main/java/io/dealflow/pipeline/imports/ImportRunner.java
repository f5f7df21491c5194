package io.dealflow.pipeline.imports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.dealflow.pipeline.config.StrictJsonConfig;
import io.dealflow.pipeline.deal.aggregate.DealReplay;
import io.dealflow.pipeline.deal.query.DealViewFold;
import io.dealflow.pipeline.pipeline.PipelineView;
import io.dealflow.pipeline.pipeline.Pipelines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs imports one at a time on this instance, from the spooled copy of their file. {@code all-or-nothing} reads the
 * file twice: once to check every line (nothing is written if any is refused), once to write. {@code skip-invalid}
 * writes as it reads and reports the lines it refused. Each chunk of deals is stored by {@link ChunkWrites} while the
 * next one is read.
 */
@Component
class ImportRunner implements AutoCloseable {

    static final String ALL_OR_NOTHING = "all-or-nothing";
    static final String SKIP_INVALID = "skip-invalid";
    private static final Logger log = LoggerFactory.getLogger(ImportRunner.class);
    private static final long PROGRESS_EVERY_NANOS = 250_000_000L;

    private final ImportJobs jobs;
    private final ImportWriter writer;
    private final Pipelines pipelines;
    private final ObjectReader json;
    private final Clock clock;
    private final int chunk;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "import-runner"));
    private final Set<String> queued = ConcurrentHashMap.newKeySet();

    ImportRunner(ImportJobs jobs, ImportWriter writer, Pipelines pipelines, ObjectMapper json, Clock clock,
                 @Value("${dealflow.imports.chunk:1000}") int chunk) {
        this.jobs = jobs;
        this.writer = writer;
        this.pipelines = pipelines;
        this.json = StrictJsonConfig.forRequests(json).reader();
        this.clock = clock;
        this.chunk = chunk;
    }

    void submit(String importId, Path spool) {
        queued.add(importId);
        executor.execute(() -> {
            queued.remove(importId);
            try {
                run(importId, spool);
            } finally {
                try {
                    Files.deleteIfExists(spool);
                } catch (IOException e) {
                    log.warn("Could not delete the spooled import {}", spool, e);
                }
            }
        });
    }

    /** Waiting imports show they are still wanted, so a re-post does not take them for abandoned. */
    @Scheduled(fixedDelay = 5_000)
    void heartbeat() {
        if (!queued.isEmpty()) {
            jobs.touch(List.copyOf(queued));
        }
    }

    private void run(String importId, Path spool) {
        ImportJobs.Row job = jobs.find(importId).orElseThrow();
        try {
            PipelineView pipeline = pipelines.find(job.pipelineId()).orElseThrow(() ->
                    new BrokenFile("no pipeline with id " + job.pipelineId()));
            DealReplay replay = new DealReplay(id -> id.equals(pipeline.id()) ? Optional.of(pipeline) : pipelines.find(id));
            Instant now = clock.instant();
            if (ALL_OR_NOTHING.equals(job.mode())) {
                Pass check = pass(job, spool, pipeline, replay, now, false);
                if (check.cancelled) {
                    jobs.finish(importId, ImportJob.Status.CANCELLED, "cancelled while checking; nothing written");
                    return;
                }
                if (check.rejected > 0) {
                    jobs.finish(importId, ImportJob.Status.FAILED, check.rejected + " of " + check.lines
                            + " lines refused (see rejections); nothing written");
                    return;
                }
            }
            Pass write = pass(job, spool, pipeline, replay, now, true);
            if (write.cancelled) {
                jobs.finish(importId, ImportJob.Status.CANCELLED, "cancelled; the deals written so far stay whole, and posting "
                        + "the same import again (same Idempotency-Key) goes on from there");
            } else if (ALL_OR_NOTHING.equals(job.mode()) && write.rejected > 0) {
                jobs.finish(importId, ImportJob.Status.FAILED, write.rejected + " lines refused while writing (the pipeline "
                        + "changed during the import); post the same import again to finish it");
            } else {
                jobs.finish(importId, ImportJob.Status.SUCCEEDED, null);
            }
        } catch (BrokenFile e) {
            jobs.finish(importId, ImportJob.Status.FAILED, e.getMessage());
        } catch (RuntimeException | IOException e) {
            log.error("Import {} failed", importId, e);
            jobs.finish(importId, ImportJob.Status.FAILED, "stopped by an error (" + e.getClass().getSimpleName()
                    + "); what was written stays; post the same import again (same Idempotency-Key) to go on from there");
        }
    }

    private static final class Pass {
        long lines;
        long rejected;
        boolean cancelled;
    }

    private Pass pass(ImportJobs.Row job, Path spool, PipelineView pipeline, DealReplay replay, Instant now,
                      boolean writing) throws IOException {
        jobs.start(job.importId(), writing ? ImportJob.Status.WRITING : ImportJob.Status.VALIDATING);
        Pass pass = new Pass();
        if (jobs.cancelRequested(job.importId())) {
            pass.cancelled = true;
            return pass;
        }
        HistoryPlan.DealIds dealIds = HistoryPlan.DealIds.of(job.subject(), job.key(), job.createdAt());
        Map<String, Long> externalIds = new HashMap<>();
        List<ReplayedDeal> pending = new ArrayList<>(chunk);
        List<ImportJob.Rejection> refused = new ArrayList<>();
        long kept = 0;
        long started = System.nanoTime();
        long lastProgress = started;
        try (CountingStream counted = new CountingStream(new BufferedInputStream(Files.newInputStream(spool), 1 << 16));
             DealLines lines = open(job, counted, pipeline);
             ChunkWrites writes = new ChunkWrites()) {
            while (lines.hasNext()) {
                DealLines.Line line = lines.next();
                pass.lines++;
                String reason = line.error();
                ReplayedDeal replayed = null;
                if (reason == null) {
                    String externalId = line.deal().externalId();
                    Long earlier = externalId == null ? null : externalIds.putIfAbsent(externalId, line.number());
                    if (earlier != null) {
                        reason = "externalId '" + externalId + "' is also on line " + earlier;
                    } else {
                        try {
                            String dealId = dealIds.forLine(line.number());
                            HistoryPlan.Planned plan = HistoryPlan.of(line.deal(), dealId, job.pipelineId(), now);
                            List<Object> events = replay.replay(plan.creation(), plan.createdAt(), plan.steps());
                            replayed = new ReplayedDeal(events, DealViewFold.of(events));
                        } catch (HistoryPlan.Invalid e) {
                            reason = e.getMessage();
                        } catch (DealReplay.Refused e) {
                            reason = e.step() == 0 ? e.getMessage() : "history[" + (e.step() - 1) + "]: " + e.getMessage();
                        }
                    }
                }
                if (reason != null) {
                    pass.rejected++;
                    refused.add(new ImportJob.Rejection(line.number(), reason));
                } else if (writing) {
                    pending.add(replayed);
                    if (pending.size() >= chunk) {
                        write(writes, job, pending, new ImportJobs.Reading(counted.count, pass.lines, pass.rejected));
                        pending = new ArrayList<>(chunk);
                    }
                }
                if (System.nanoTime() - lastProgress > PROGRESS_EVERY_NANOS) {
                    lastProgress = System.nanoTime();
                    kept = keep(job, refused, kept);
                    // while a chunk is being written its transaction holds the job's row: the counts then go with that
                    // chunk's successor, and only the cancel flag is read
                    if (writes.busy() ? jobs.cancelRequested(job.importId()) : jobs.progress(job.importId(), counted.count, pass.lines, pass.rejected)) {
                        pass.cancelled = true;
                        return pass;
                    }
                }
            }
            if (writing && !pending.isEmpty()) {
                write(writes, job, pending, new ImportJobs.Reading(counted.count, pass.lines, pass.rejected));
            }
            writes.await();
            log.info("Import {}: {} {} lines ({} refused) in {} ms", job.importId(), writing ? "wrote" : "checked", pass.lines,
                    pass.rejected, (System.nanoTime() - started) / 1_000_000);
            keep(job, refused, kept);
            boolean cancelRequested = jobs.progress(job.importId(), counted.count, pass.lines, pass.rejected);
            // once everything is written there is nothing left to cancel
            pass.cancelled = cancelRequested && !writing;
            return pass;
        }
    }

    private void write(ChunkWrites writes, ImportJobs.Row job, List<ReplayedDeal> deals, ImportJobs.Reading reading) {
        writes.submit(() -> writer.write(job.importId(), job.subject(), deals, job.attempt() > 1, reading));
    }

    /** Rejections of the checking pass are kept; the writing pass of an all-or-nothing import finds the same ones. */
    private long keep(ImportJobs.Row job, List<ImportJob.Rejection> refused, long kept) {
        if (refused.isEmpty()) {
            return kept;
        }
        if (kept < ImportJobs.KEPT_REJECTIONS) {
            jobs.reject(job.importId(), refused, kept);
        }
        long total = kept + refused.size();
        refused.clear();
        return total;
    }

    private DealLines open(ImportJobs.Row job, InputStream in, PipelineView pipeline) {
        return "csv".equals(job.format()) ? new CsvLines(in, pipeline, job.defaultCurrency()) : new NdjsonLines(in, json);
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(30, TimeUnit.SECONDS);
    }

    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
