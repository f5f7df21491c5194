package io.dealflow.pipeline.imports;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.dealflow.pipeline.pipeline.PipelineView;
import io.dealflow.pipeline.pipeline.Stage;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * CSV as CRMs export deals: a header row, then one deal per row with its current fields, when it was created,
 * when it entered each stage ({@code entered_<stage>} columns), and how it ended. The column names the reader
 * understands are listed in the README ("Importing a CRM's history"); other columns are ignored.
 */
final class CsvLines implements DealLines {

    private static final Map<String, String> COLUMNS = aliases();
    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss]");

    private final MappingIterator<Map<String, String>> rows;
    private final PipelineView pipeline;
    private final String defaultCurrency;
    private final Map<String, String> fieldOfHeader = new HashMap<>();
    private final Map<String, String> stageOfHeader = new HashMap<>();
    /** Rows read so far; row n is line n + 1 of the file (the header is line 1). */
    private long row;

    CsvLines(InputStream in, PipelineView pipeline, String defaultCurrency) {
        this.pipeline = pipeline;
        this.defaultCurrency = defaultCurrency;
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        try {
            this.rows = new CsvMapper().readerForMapOf(String.class)
                    .with(CsvSchema.emptySchema().withHeader())
                    .readValues(reader);
        } catch (IOException e) {
            throw new BrokenFile("no CSV header: " + e.getMessage());
        }
        for (String header : headers()) {
            String key = normalize(header);
            if (COLUMNS.containsKey(key)) {
                fieldOfHeader.put(header, COLUMNS.get(key));
            } else if (key.startsWith("entered_") || key.startsWith("date_entered_")) {
                String stageName = key.substring(key.indexOf("entered_") + "entered_".length());
                Stage stage = stage(stageName).orElseThrow(() -> new BrokenFile("column '" + header
                        + "' names no stage of pipeline " + pipeline.id()));
                stageOfHeader.put(header, stage.id());
            }
        }
        if (!fieldOfHeader.containsValue("createdAt")) {
            throw new BrokenFile("the header has no creation time column (created_at, create_date or created)");
        }
    }

    private List<String> headers() {
        hasNext();
        List<String> names = new ArrayList<>();
        ((CsvSchema) rows.getParserSchema()).forEach(column -> names.add(column.getName()));
        return names;
    }

    @Override
    public boolean hasNext() {
        try {
            return rows.hasNextValue();
        } catch (IOException | RuntimeException e) {
            throw new BrokenFile("unreadable CSV after line " + (row + 1) + ": " + e.getMessage());
        }
    }

    @Override
    public Line next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Map<String, String> values;
        try {
            values = rows.nextValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        row++;
        long number = row + 1;
        try {
            return Line.ok(number, deal(values));
        } catch (HistoryPlan.Invalid e) {
            return Line.refused(number, e.getMessage());
        }
    }

    private ImportedDeal deal(Map<String, String> row) {
        Map<String, String> f = new HashMap<>();
        List<Visit> visits = new ArrayList<>();
        row.forEach((header, value) -> {
            if (value == null || value.isBlank()) {
                return;
            }
            String field = fieldOfHeader.get(header);
            if (field != null) {
                f.put(field, value.strip());
            } else if (stageOfHeader.containsKey(header)) {
                visits.add(new Visit(stageOfHeader.get(header), time(header, value.strip())));
            }
        });
        visits.sort(Comparator.comparing(Visit::at));
        Instant createdAt = f.containsKey("createdAt") ? time("created_at", f.get("createdAt")) : null;
        String currentStage = f.containsKey("stage") ? stage(f.get("stage")).map(Stage::id)
                .orElseThrow(() -> new HistoryPlan.Invalid("stage '" + f.get("stage") + "' is not a stage of pipeline " + pipeline.id()))
                : null;
        String firstStage = visits.isEmpty() ? currentStage : visits.get(0).stageId();
        List<ImportedDeal.Step> history = new ArrayList<>();
        for (int i = 1; i < visits.size(); i++) {
            history.add(step("moved", visits.get(i).at(), visits.get(i).stageId(), null, null));
        }
        String lastStage = visits.isEmpty() ? currentStage : visits.get(visits.size() - 1).stageId();
        if (currentStage != null && !currentStage.equals(lastStage)) {
            throw new HistoryPlan.Invalid("stage '" + f.get("stage") + "' has no entered_ time after the deal's other stages");
        }
        String status = f.getOrDefault("status", "open").toLowerCase(Locale.ROOT);
        if (!status.equals("open")) {
            if (!f.containsKey("closedAt")) {
                throw new HistoryPlan.Invalid("a " + status + " deal needs closed_at");
            }
            Instant closedAt = time("closed_at", f.get("closedAt"));
            switch (status) {
                case "won" -> history.add(step("won", closedAt, null, null, null));
                case "lost" -> history.add(step("lost", closedAt, null, f.get("lostReason"), null));
                default -> throw new HistoryPlan.Invalid("status '" + f.get("status") + "' is not one of open, won, lost");
            }
        }
        String currency = f.getOrDefault("currency", defaultCurrency);
        ImportedDeal.Amount amount = f.containsKey("amount") ? new ImportedDeal.Amount(decimal(f.get("amount")), currency) : null;
        return new ImportedDeal(f.get("externalId"), f.get("title"), amount, f.get("ownerId"), f.get("source"),
                f.get("company"), f.get("contact"), f.containsKey("expectedCloseDate") ? date(f.get("expectedCloseDate")) : null,
                firstStage, createdAt, history);
    }

    private static ImportedDeal.Step step(String type, Instant at, String stageId, String reason, String note) {
        return new ImportedDeal.Step(type, at, stageId, null, null, null, null, null, null, null, null, note, reason);
    }

    private Optional<Stage> stage(String idOrName) {
        String wanted = normalize(idOrName);
        return pipeline.stages().stream()
                .filter(s -> normalize(s.id()).equals(wanted) || normalize(s.name()).equals(wanted))
                .findFirst();
    }

    static Instant time(String column, String text) {
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                return OffsetDateTime.parse(text.replace(' ', 'T')).toInstant();
            }
            return (text.contains("T") ? LocalDateTime.parse(text) : LocalDateTime.parse(text, SPACED)).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new HistoryPlan.Invalid(column + " '" + text + "' is not a date or time (2026-03-31, 2026-03-31 14:00, 2026-03-31T14:00:00Z)");
        }
    }

    private static LocalDate date(String text) {
        try {
            return LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text);
        } catch (DateTimeParseException e) {
            throw new HistoryPlan.Invalid("expected close date '" + text + "' is not a date (2026-03-31)");
        }
    }

    private static BigDecimal decimal(String text) {
        try {
            return new BigDecimal(text.replace(",", ""));
        } catch (NumberFormatException e) {
            throw new HistoryPlan.Invalid("amount '" + text + "' is not a number");
        }
    }

    static String normalize(String name) {
        return name.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
    }

    private static Map<String, String> aliases() {
        Map<String, String> m = new HashMap<>();
        for (String a : List.of("id", "external_id", "deal_id", "record_id")) m.put(a, "externalId");
        for (String a : List.of("title", "deal_name", "name")) m.put(a, "title");
        for (String a : List.of("amount", "value", "deal_value")) m.put(a, "amount");
        m.put("currency", "currency");
        for (String a : List.of("owner", "owner_id", "deal_owner")) m.put(a, "ownerId");
        for (String a : List.of("source", "lead_source")) m.put(a, "source");
        for (String a : List.of("company", "company_name", "organization")) m.put(a, "company");
        for (String a : List.of("contact", "contact_name", "person")) m.put(a, "contact");
        for (String a : List.of("expected_close_date", "close_date")) m.put(a, "expectedCloseDate");
        for (String a : List.of("created_at", "create_date", "created")) m.put(a, "createdAt");
        for (String a : List.of("stage", "deal_stage", "stage_id")) m.put(a, "stage");
        m.put("status", "status");
        for (String a : List.of("closed_at", "closed_date", "won_time", "lost_time")) m.put(a, "closedAt");
        m.put("lost_reason", "lostReason");
        return Map.copyOf(m);
    }

    private record Visit(String stageId, Instant at) {
    }

    @Override
    public void close() throws IOException {
        rows.close();
    }
}
