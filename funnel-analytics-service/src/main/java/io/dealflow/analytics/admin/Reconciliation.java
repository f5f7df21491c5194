package io.dealflow.analytics.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dealflow.events.v1.EventTypes;
import io.dealflow.trust.IdentitySignature;
import io.dealflow.trust.Scope;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds three counts against each other, per aggregate (deal or pipeline): events in pipeline-service's store,
 * distinct events on the topic, events applied by this projection. A skipped event shows as applied &lt; topic or
 * topic &lt; store; a doubled one as topic records &gt; distinct. Differences while events are in flight are
 * expected and vanish on the next run.
 */
@Singleton
public class Reconciliation {

    @Serdeable
    public record Report(Instant checkedAt, String status, long storeEvents, long topicRecords, long topicDistinctEvents,
                         long appliedEvents, long aggregates, long aggregatesDiffering, List<Difference> differences) {
    }

    /** {@code applied} counts sequence numbers 0…last applied, i.e. the last applied sequence + 1. */
    @Serdeable
    public record Difference(String aggregateId, long store, long topicDistinct, long topicRecords, long applied) {
    }

    private static final String STORE_COUNTS = "/api/v1/admin/store-counts";
    private static final String REPUBLISH = "/api/v1/admin/republish";
    /** Who this service is when it asks pipeline-service, over the same signed channel as the gateway. */
    private static final String SUBJECT = "funnel-analytics-service";

    private final DataSource dataSource;
    private final TopicReplay topic;
    private final String pipelineServiceUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong lastDiffering = new AtomicLong(-1);
    private final IdentitySignature signature;

    public Reconciliation(DataSource dataSource, TopicReplay topic, MeterRegistry meters, IdentitySignature signature,
                          @Value("${dealflow.pipeline-service-url}") String pipelineServiceUrl) {
        this.dataSource = dataSource;
        this.signature = signature;
        this.topic = topic;
        this.pipelineServiceUrl = pipelineServiceUrl;
        Gauge.builder("dealflow.reconciliation.differing.aggregates", lastDiffering, AtomicLong::get)
                .description("Aggregates whose store, topic and projection counts differed at the last reconciliation (-1: never run)")
                .register(meters);
    }

    public Report run(int maxDifferences) throws IOException, InterruptedException, SQLException {
        Map<String, Long> store = storeCounts();
        Map<String, Set<Long>> distinct = new HashMap<>();
        Map<String, Long> records = new HashMap<>();
        long[] topicRecords = {0};
        topic.readAll(total -> { }, batch -> {
            for (ConsumerRecord<String, byte[]> record : batch) {
                topicRecords[0]++;
                var header = record.headers().lastHeader("ce_" + EventTypes.SEQUENCE_EXTENSION);
                if (record.key() == null || header == null) {
                    continue;
                }
                try {
                    distinct.computeIfAbsent(record.key(), k -> new HashSet<>())
                            .add(Long.parseLong(new String(header.value(), StandardCharsets.UTF_8)));
                    records.merge(record.key(), 1L, Long::sum);
                } catch (NumberFormatException e) {
                    // unreadable: it went to the dead-letter topic and counts for nothing
                }
            }
        });
        Map<String, Long> applied = appliedCounts();

        TreeSet<String> ids = new TreeSet<>(store.keySet());
        ids.addAll(distinct.keySet());
        ids.addAll(applied.keySet());
        List<Difference> differences = new ArrayList<>();
        long differing = 0;
        long distinctTotal = 0;
        for (String id : ids) {
            long s = store.getOrDefault(id, 0L);
            long d = distinct.getOrDefault(id, Set.of()).size();
            long a = applied.getOrDefault(id, 0L);
            distinctTotal += d;
            if (s != d || d != a) {
                differing++;
                if (differences.size() < maxDifferences) {
                    differences.add(new Difference(id, s, d, records.getOrDefault(id, 0L), a));
                }
            }
        }
        lastDiffering.set(differing);
        return new Report(Instant.now(), differing == 0 ? "CONSISTENT" : "DIFFERENT",
                store.values().stream().mapToLong(Long::longValue).sum(), topicRecords[0], distinctTotal,
                applied.values().stream().mapToLong(Long::longValue).sum(), ids.size(), differing, differences);
    }

    /** The aggregates of which the store holds events the topic does not (counted by distinct sequence numbers). */
    public Set<String> shortOnTopic() throws IOException, InterruptedException {
        Map<String, Long> store = storeCounts();
        Map<String, Set<Long>> distinct = new HashMap<>();
        topic.readAll(total -> { }, batch -> {
            for (ConsumerRecord<String, byte[]> record : batch) {
                var header = record.headers().lastHeader("ce_" + EventTypes.SEQUENCE_EXTENSION);
                if (record.key() != null && header != null && store.containsKey(record.key())) {
                    try {
                        distinct.computeIfAbsent(record.key(), k -> new HashSet<>())
                                .add(Long.parseLong(new String(header.value(), StandardCharsets.UTF_8)));
                    } catch (NumberFormatException e) {
                        // unreadable: counts for nothing
                    }
                }
            }
        });
        Set<String> missing = new TreeSet<>();
        store.forEach((id, events) -> {
            if (distinct.getOrDefault(id, Set.of()).size() < events) {
                missing.add(id);
            }
        });
        return missing;
    }

    /** Asks pipeline-service to publish its whole store again (it answers at once and publishes in the background). */
    public void requestRepublish() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(pipelineServiceUrl + REPUBLISH))
                .POST(HttpRequest.BodyPublishers.noBody())
                .header(IdentitySignature.SUBJECT_HEADER, SUBJECT)
                .header(IdentitySignature.SCOPES_HEADER, Scope.ADMIN.value())
                .header(IdentitySignature.SIGNATURE_HEADER, signature.sign("POST", REPUBLISH, SUBJECT, Scope.ADMIN.value()))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("pipeline-service refused the republish: " + response.statusCode() + " " + response.body());
        }
    }

    private Map<String, Long> storeCounts() throws IOException, InterruptedException {
        Map<String, Long> counts = new HashMap<>();
        String after = "";
        while (after != null) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(pipelineServiceUrl
                    + STORE_COUNTS + "?limit=50000&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8)))
                    .header(IdentitySignature.SUBJECT_HEADER, SUBJECT)
                    .header(IdentitySignature.SCOPES_HEADER, Scope.ADMIN.value())
                    .header(IdentitySignature.SIGNATURE_HEADER, signature.sign("GET", STORE_COUNTS, SUBJECT, Scope.ADMIN.value()))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("pipeline-service answered " + response.statusCode());
            }
            JsonNode body = json.readTree(response.body());
            body.get("aggregates").forEach(a -> counts.put(a.get("aggregateId").asText(), a.get("events").asLong()));
            after = body.hasNonNull("nextAfter") ? body.get("nextAfter").asText() : null;
        }
        return counts;
    }

    private Map<String, Long> appliedCounts() throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select deal_id, last_seq from deal")) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2) + 1);
                }
            }
            try (ResultSet rs = s.executeQuery("select pipeline_id, last_seq from pipeline_state")) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2) + 1);
                }
            }
        }
        return counts;
    }
}
