package io.dealflow.pipeline.imports;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The import_job and import_rejection tables: every instance sees every import, wherever it runs. */
@Component
class ImportJobs {

    /** Rejections kept per import; the count goes on beyond it. */
    static final int KEPT_REJECTIONS = 10_000;

    /** What a runner needs to know about an import. */
    record Row(String importId, String subject, String key, String format, String mode, String pipelineId,
               String defaultCurrency, ImportJob.Status status, int attempt, Instant createdAt, Instant updatedAt) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    ImportJobs(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    Optional<Row> find(String subject, String key) {
        return jdbc.query("select * from import_job where subject = ? and idem_key = ?", ImportJobs::row, subject, key)
                .stream().findFirst();
    }

    Optional<Row> find(String importId) {
        return jdbc.query("select * from import_job where import_id = ?", ImportJobs::row, importId).stream().findFirst();
    }

    /** False when another request created the same import first. */
    boolean create(String importId, String subject, String key, String format, String mode, String pipelineId,
                   String defaultCurrency, long bytes) {
        Timestamp now = Timestamp.from(clock.instant());
        int inserted = jdbc.update("""
                insert into import_job (import_id, subject, idem_key, format, mode, pipeline_id, default_currency, status,
                    attempt, bytes_total, bytes_read, lines_read, deals_written, deals_present, events_written, rejected,
                    cancel_requested, created_at, updated_at)
                select ?, ?, ?, ?, ?, ?, ?, 'QUEUED', 1, ?, 0, 0, 0, 0, 0, 0, false, ?, ?
                where not exists (select 1 from import_job where subject = ? and idem_key = ?)""",
                importId, subject, key, format, mode, pipelineId, defaultCurrency, bytes, now, now, subject, key);
        return inserted == 1;
    }

    /** A failed, cancelled or abandoned import queued again with a new copy of its file; what it wrote stays. */
    void requeue(String importId, String format, String mode, String defaultCurrency, long bytes) {
        jdbc.update("""
                update import_job set format = ?, mode = ?, default_currency = ?, status = 'QUEUED', attempt = attempt + 1, bytes_total = ?,
                    bytes_read = 0, lines_read = 0, deals_written = 0, deals_present = 0, events_written = 0, rejected = 0,
                    cancel_requested = false, failure = null, started_at = null, finished_at = null, updated_at = ?
                where import_id = ?""", format, mode, defaultCurrency, bytes, Timestamp.from(clock.instant()), importId);
        jdbc.update("delete from import_rejection where import_id = ?", importId);
    }

    void start(String importId, ImportJob.Status phase) {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update("update import_job set status = ?, started_at = coalesce(started_at, ?), bytes_read = 0, lines_read = 0, updated_at = ? where import_id = ?",
                phase.name(), now, now, importId);
    }

    /** Progress of the pass under way; true when someone asked to cancel. */
    boolean progress(String importId, long bytesRead, long linesRead, long rejected) {
        jdbc.update("update import_job set bytes_read = ?, lines_read = ?, rejected = ?, updated_at = ? where import_id = ?",
                bytesRead, linesRead, rejected, Timestamp.from(clock.instant()), importId);
        return cancelRequested(importId);
    }

    boolean cancelRequested(String importId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select cancel_requested from import_job where import_id = ?",
                Boolean.class, importId));
    }

    /** How far the file has been read: bytes, lines, lines refused. */
    record Reading(long bytes, long lines, long rejected) {
    }

    /** Counted in the transaction that writes the deals, so the counts are exactly what is stored. */
    void written(String importId, long deals, long present, long events, Reading reading) {
        jdbc.update("""
                update import_job set deals_written = deals_written + ?, deals_present = deals_present + ?,
                    events_written = events_written + ?, bytes_read = ?, lines_read = ?, rejected = ?, updated_at = ?
                where import_id = ?""",
                deals, present, events, reading.bytes(), reading.lines(), reading.rejected(), Timestamp.from(clock.instant()), importId);
    }

    void touch(List<String> importIds) {
        Timestamp now = Timestamp.from(clock.instant());
        for (String id : importIds) {
            jdbc.update("update import_job set updated_at = ? where import_id = ? and status = 'QUEUED'", now, id);
        }
    }

    void reject(String importId, List<ImportJob.Rejection> rejections, long alreadyKept) {
        int room = (int) Math.max(0, KEPT_REJECTIONS - alreadyKept);
        List<ImportJob.Rejection> kept = rejections.subList(0, Math.min(room, rejections.size()));
        jdbc.batchUpdate("insert into import_rejection (import_id, line_no, reason) values (?, ?, ?)", kept, kept.size(),
                (statement, r) -> {
                    statement.setString(1, importId);
                    statement.setLong(2, r.line());
                    statement.setString(3, r.reason().length() > 1000 ? r.reason().substring(0, 997) + "..." : r.reason());
                });
    }

    void finish(String importId, ImportJob.Status status, String failure) {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update("update import_job set status = ?, failure = ?, finished_at = ?, updated_at = ? where import_id = ?",
                status.name(), failure == null || failure.length() <= 2000 ? failure : failure.substring(0, 1997) + "...",
                now, now, importId);
    }

    /** False when the import has already finished. */
    boolean requestCancel(String importId) {
        return jdbc.update("update import_job set cancel_requested = true where import_id = ? and status in ('QUEUED', 'VALIDATING', 'WRITING')",
                importId) == 1;
    }

    /**
     * The job row is read before its rejections: rejections are stored before the job finishes, so a finished job is
     * always shown with all of them (read the other way round, a job finishing in between showed none).
     */
    Optional<ImportJob> view(String importId, int rejectionLimit) {
        Instant now = clock.instant();
        return jdbc.query("select * from import_job where import_id = ?", (rs, n) -> {
            ImportJob.Status status = ImportJob.Status.valueOf(rs.getString("status"));
            Instant started = instant(rs, "started_at");
            Instant finished = instant(rs, "finished_at");
            ImportJob.Progress progress = ImportJob.progress(rs.getLong("bytes_total"), rs.getLong("bytes_read"),
                    rs.getLong("lines_read"), rs.getLong("deals_written"), rs.getLong("deals_present"),
                    rs.getLong("events_written"), rs.getLong("rejected"), started, finished == null ? now : finished,
                    !status.finished() && status != ImportJob.Status.QUEUED);
            return new ImportJob(rs.getString("import_id"), status.name(), rs.getString("format"), rs.getString("mode"),
                    rs.getString("pipeline_id"), progress, instant(rs, "created_at"), started, finished,
                    rs.getString("failure"), List.of());
        }, importId).stream().findFirst()
                .map(job -> job.withRejections(rejections(importId, 0, rejectionLimit)));
    }

    List<ImportJob.Rejection> rejections(String importId, long offset, int limit) {
        return jdbc.query("select line_no, reason from import_rejection where import_id = ? order by line_no limit ? offset ?",
                (rs, n) -> new ImportJob.Rejection(rs.getLong(1), rs.getString(2)), importId, limit, offset);
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getString("import_id"), rs.getString("subject"), rs.getString("idem_key"), rs.getString("format"),
                rs.getString("mode"), rs.getString("pipeline_id"), rs.getString("default_currency"),
                ImportJob.Status.valueOf(rs.getString("status")), rs.getInt("attempt"), instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
