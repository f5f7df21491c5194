package io.dealflow.pipeline.imports;

import io.swagger.v3.oas.annotations.Operation;

import io.dealflow.pipeline.access.RequiresScope;
import io.dealflow.pipeline.config.Actor;
import io.dealflow.pipeline.web.Problem;
import io.dealflow.pipeline.web.ProblemException;
import io.dealflow.trust.Scope;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Bulk import of a CRM's history. The file is copied to local disk while the request streams in (so a file of any
 * size costs no memory), then the import runs in the background: 202 with the job to follow.
 */
@RestController
@RequestMapping("/api/v1/imports")
class ImportController {

    static final String NDJSON = "application/x-ndjson";
    static final String CSV = "text/csv";
    /** A running import updates its job at least every second; one silent for longer than this has died with its instance. */
    private static final Duration ABANDONED_AFTER = Duration.ofMinutes(1);
    private static final int REJECTIONS_SHOWN = 100;

    private final ImportJobs jobs;
    private final ImportRunner runner;
    private final Path spoolDir;
    private final long maxBytes;
    private final Clock clock;

    ImportController(ImportJobs jobs, ImportRunner runner, Clock clock,
                     @Value("${dealflow.imports.spool-dir}") Path spoolDir,
                     @Value("${dealflow.imports.max-size}") DataSize maxSize) {
        this.jobs = jobs;
        this.runner = runner;
        this.clock = clock;
        this.spoolDir = spoolDir;
        this.maxBytes = maxSize.toBytes();
    }

    @RequiresScope(Scope.ADMIN)
    @Operation(summary = "Import a CRM's deal history (NDJSON or CSV)")
    @PostMapping(consumes = {NDJSON, CSV})
    ResponseEntity<ImportJob> start(HttpServletRequest request,
                                    @RequestHeader(value = "Idempotency-Key", required = false) String key,
                                    @RequestHeader(value = Actor.SUBJECT_HEADER, required = false) String subject,
                                    @RequestParam(defaultValue = ImportRunner.ALL_OR_NOTHING) String mode,
                                    @RequestParam(defaultValue = "default") String pipelineId,
                                    @RequestParam(required = false) String currency) throws IOException {
        if (key == null || key.isBlank() || key.length() > 200) {
            throw new ProblemException(Problem.IDEMPOTENCY_KEY_REQUIRED,
                    "An import needs an Idempotency-Key of 1–200 characters: it names the import, so posting it again changes nothing");
        }
        if (!List.of(ImportRunner.ALL_OR_NOTHING, ImportRunner.SKIP_INVALID).contains(mode)) {
            throw new ProblemException(Problem.VALIDATION, "mode must be all-or-nothing or skip-invalid");
        }
        if (pipelineId.isBlank() || pipelineId.length() > 64) {
            throw new ProblemException(Problem.VALIDATION, "pipelineId must be 1–64 characters");
        }
        if (currency != null && !isCurrency(currency)) {
            throw new ProblemException(Problem.INVALID_AMOUNT, "currency must be an ISO 4217 code such as EUR");
        }
        MediaType type = MediaType.parseMediaType(request.getContentType());
        Charset charset = type.getCharset();
        if (charset != null && !charset.equals(StandardCharsets.UTF_8)) {
            throw new ProblemException(Problem.UNSUPPORTED_MEDIA_TYPE, "an import file is UTF-8");
        }
        String format = type.isCompatibleWith(MediaType.parseMediaType(CSV)) ? "csv" : "ndjson";
        String actor = subject == null || subject.isBlank() ? Actor.ANONYMOUS : subject;

        var existing = jobs.find(actor, key);
        if (existing.isPresent() && !resumable(existing.get())) {
            return ResponseEntity.ok().location(location(existing.get().importId())).header("Idempotent-Replayed", "true")
                    .body(view(existing.get().importId()));
        }
        Path spool = spool(request.getInputStream());
        String importId;
        if (existing.isPresent()) {
            importId = existing.get().importId();
            jobs.requeue(importId, format, mode, currency, Files.size(spool));
        } else {
            importId = UUID.randomUUID().toString();
            if (!jobs.create(importId, actor, key, format, mode, pipelineId, currency, Files.size(spool))) {
                Files.deleteIfExists(spool);
                String first = jobs.find(actor, key).orElseThrow().importId();
                return ResponseEntity.ok().location(location(first)).header("Idempotent-Replayed", "true").body(view(first));
            }
        }
        runner.submit(importId, spool);
        return ResponseEntity.accepted().location(location(importId)).body(view(importId));
    }

    @RequiresScope(Scope.ADMIN)
    @Operation(summary = "An import's progress or summary")
    @GetMapping("/{importId}")
    ImportJob get(@PathVariable String importId) {
        return view(importId);
    }

    @RequiresScope(Scope.ADMIN)
    @Operation(summary = "An import's refused lines with their numbers and reasons")
    @GetMapping("/{importId}/rejections")
    Map<String, Object> rejections(@PathVariable String importId,
                                   @RequestParam(defaultValue = "0") long offset,
                                   @RequestParam(defaultValue = "100") int limit) {
        if (offset < 0 || limit < 1 || limit > 1000) {
            throw new ProblemException(Problem.VALIDATION, "offset must be ≥ 0 and limit 1–1000");
        }
        view(importId);
        return Map.of("importId", importId, "offset", offset, "rejections", jobs.rejections(importId, offset, limit));
    }

    @RequiresScope(Scope.ADMIN)
    @Operation(summary = "Cancel an import")
    @DeleteMapping("/{importId}")
    ResponseEntity<ImportJob> cancel(@PathVariable String importId) {
        view(importId);
        if (!jobs.requestCancel(importId)) {
            throw new ProblemException(Problem.IMPORT_FINISHED, "Import " + importId + " has finished; there is nothing to cancel");
        }
        return ResponseEntity.accepted().body(view(importId));
    }

    private boolean resumable(ImportJobs.Row job) {
        return job.status() == ImportJob.Status.FAILED || job.status() == ImportJob.Status.CANCELLED
                || (!job.status().finished() && job.updatedAt().isBefore(clock.instant().minus(ABANDONED_AFTER)));
    }

    private ImportJob view(String importId) {
        return jobs.view(importId, REJECTIONS_SHOWN).orElseThrow(() ->
                new ProblemException(Problem.IMPORT_NOT_FOUND, "No import with id " + importId));
    }

    private Path spool(InputStream body) throws IOException {
        Files.createDirectories(spoolDir);
        Path file = Files.createTempFile(spoolDir, "import-", ".body");
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = body.read(buffer)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new ProblemException(Problem.IMPORT_TOO_LARGE, "An import file may be at most " + maxBytes + " bytes");
                }
                out.write(buffer, 0, n);
            }
            if (total == 0) {
                throw new ProblemException(Problem.VALIDATION, "The import file is empty");
            }
        } catch (ProblemException | IOException | UncheckedIOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return file;
    }

    private static boolean isCurrency(String code) {
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static URI location(String importId) {
        return URI.create("/api/v1/imports/" + importId);
    }
}
