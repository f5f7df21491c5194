package io.dealflow.analytics.freshness;

import io.swagger.v3.oas.annotations.Operation;

import io.dealflow.analytics.access.RequiresScope;
import io.dealflow.analytics.admin.RebuildLease;
import io.dealflow.trust.Scope;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

@Controller("/api/v1/analytics/freshness")
@ExecuteOn(TaskExecutors.BLOCKING)
public class FreshnessController {

    private final Admin admin;
    private final RebuildLease lease;
    private final DataSource dataSource;
    private final Clock clock;
    private final String topic;
    private final String group;

    public FreshnessController(Admin admin, RebuildLease lease, DataSource dataSource, Clock clock, @Value("${dealflow.topic}") String topic,
                               @Value("${dealflow.consumer-group:funnel-analytics}") String group) {
        this.admin = admin;
        this.lease = lease;
        this.dataSource = dataSource;
        this.clock = clock;
        this.topic = topic;
        this.group = group;
    }

    private record Progress(Instant newest, long applied, long duplicates, long unknown, long deadLetters, long gaps) {
    }

    @RequiresScope(Scope.ANALYTICS_READ)
    @Operation(summary = "How current the analytics are: consumer lag per partition, age of the newest event applied")
    @Get
    public Freshness freshness() throws SQLException {
        Map<Integer, Progress> progress = new HashMap<>();
        long waiting;
        Instant oldestWaiting;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select partition_id, newest_event_at, applied_events, duplicate_events, skipped_events,"
                    + " dead_letters, gap_events from partition_progress")) {
                while (rs.next()) {
                    Timestamp t = rs.getTimestamp(2);
                    progress.put(rs.getInt(1), new Progress(t == null ? null : t.toInstant(), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5), rs.getLong(6), rs.getLong(7)));
                }
            }
            try (ResultSet rs = s.executeQuery("select count(*), min(parked_at) from pending_event")) {
                rs.next();
                waiting = rs.getLong(1);
                Timestamp since = rs.getTimestamp(2);
                oldestWaiting = since == null ? null : since.toInstant();
            }
        }
        Map<Integer, Long> end = new HashMap<>();
        Map<Integer, Long> committed = new HashMap<>();
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic).partitions()
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
            admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS).forEach((p, info) -> end.put(p.partition(), info.offset()));
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            offsets.forEach((p, o) -> {
                if (p.topic().equals(topic) && o != null) {
                    committed.put(p.partition(), o.offset());
                }
            });
        } catch (Exception e) {
            Thread.interrupted();
            // broker unreachable: report what the database knows, lag unknown
        }
        TreeSet<Integer> ids = new TreeSet<>(progress.keySet());
        ids.addAll(end.keySet());
        List<Freshness.PartitionLag> rows = new ArrayList<>();
        long totalLag = 0;
        Instant newest = null;
        for (int id : ids) {
            Progress p = progress.getOrDefault(id, new Progress(null, 0, 0, 0, 0, 0));
            Long endOffset = end.get(id);
            Long committedOffset = committed.getOrDefault(id, endOffset == null ? null : 0L);
            Long lag = endOffset == null || committedOffset == null ? null : Math.max(0, endOffset - committedOffset);
            totalLag += lag == null ? 0 : lag;
            if (p.newest() != null && (newest == null || p.newest().isAfter(newest))) {
                newest = p.newest();
            }
            rows.add(new Freshness.PartitionLag(id, endOffset, committedOffset, lag, p.newest(), p.applied(), p.duplicates(),
                    p.unknown(), p.deadLetters(), p.gaps()));
        }
        return new Freshness(newest, newest == null ? null : clock.millis() - newest.toEpochMilli(), totalLag, waiting, oldestWaiting,
                lease.held(), rows);
    }
}
