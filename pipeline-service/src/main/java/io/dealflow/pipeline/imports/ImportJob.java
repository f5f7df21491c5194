package io.dealflow.pipeline.imports;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An import as its client follows it: where it stands, how fast it goes, when it should be done, and the lines it
 * refused. {@code dealsPresent} counts deals an earlier attempt of the same import had already written.
 */
public record ImportJob(String importId, String status, String format, String mode, String pipelineId,
                        Progress progress, Instant createdAt, Instant startedAt, Instant finishedAt, String failure,
                        List<Rejection> rejections) {

    ImportJob withRejections(List<Rejection> kept) {
        return new ImportJob(importId, status, format, mode, pipelineId, progress, createdAt, startedAt, finishedAt, failure, kept);
    }

    public enum Status {
        QUEUED, VALIDATING, WRITING, SUCCEEDED, FAILED, CANCELLED;

        boolean finished() {
            return this == SUCCEEDED || this == FAILED || this == CANCELLED;
        }
    }

    public record Progress(long bytesTotal, long bytesRead, long linesRead, long dealsWritten, long dealsPresent,
                           long eventsWritten, long rejectedLines, double linesPerSecond, double dealsPerSecond,
                           Long etaSeconds) {
    }

    public record Rejection(long line, String reason) {
    }

    /** The rates and the remaining time of the phase under way, from the counts and the time since the job started. */
    static Progress progress(long bytesTotal, long bytesRead, long linesRead, long dealsWritten, long dealsPresent,
                             long eventsWritten, long rejected, Instant startedAt, Instant until, boolean running) {
        double seconds = startedAt == null ? 0 : Duration.between(startedAt, until).toMillis() / 1000.0;
        double lineRate = seconds > 0 ? linesRead / seconds : 0;
        double dealRate = seconds > 0 ? dealsWritten / seconds : 0;
        Long eta = null;
        if (running && bytesRead > 0 && seconds > 0) {
            eta = Math.round((bytesTotal - bytesRead) / (bytesRead / seconds));
        } else if (!running && startedAt != null) {
            eta = 0L;
        }
        return new Progress(bytesTotal, bytesRead, linesRead, dealsWritten, dealsPresent, eventsWritten, rejected,
                Math.round(lineRate * 10) / 10.0, Math.round(dealRate * 10) / 10.0, eta);
    }
}
