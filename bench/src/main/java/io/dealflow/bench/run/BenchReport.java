package io.dealflow.bench.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Collects the figures of one run and writes them as a printed table, Markdown and JSON. */
final class BenchReport {

    record Row(String section, String measure, String value, String target, String note) {
    }

    private final Map<String, Object> settings = new LinkedHashMap<>();
    private final List<Row> rows = new ArrayList<>();

    void setting(String name, Object value) {
        settings.put(name, value);
    }

    void add(String section, String measure, String value, String target, String note) {
        rows.add(new Row(section, measure, value, target == null ? "" : target, note == null ? "" : note));
        System.out.printf(Locale.ROOT, "%-12s %-58s %-26s %-22s %s%n", section, measure, value, target == null ? "" : target,
                note == null ? "" : note);
    }

    void latency(String section, Latency l, String target) {
        add(section, l.name(), String.format(Locale.ROOT, "%.0f/s  p50 %.1f  p99 %.1f  p99.9 %.1f ms", l.perSecond(), l.p50Ms(), l.p99Ms(),
                l.p999Ms()), target, l.errors() == 0 ? "" : l.errors() + " errors");
    }

    String markdown() {
        StringBuilder md = new StringBuilder("# DealFlow benchmark results\n\n");
        settings.forEach((k, v) -> md.append("- **").append(k).append("**: ").append(v).append('\n'));
        md.append("\n| section | measure | value | target | note |\n| --- | --- | --- | --- | --- |\n");
        for (Row r : rows) {
            md.append("| ").append(r.section()).append(" | ").append(r.measure()).append(" | ").append(r.value()).append(" | ")
                    .append(r.target()).append(" | ").append(r.note()).append(" |\n");
        }
        return md.toString();
    }

    void write(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("results.md"), markdown());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("settings", settings);
        json.put("results", rows);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(folder.resolve("results.json").toFile(), json);
    }
}
