package io.dealflow.bench.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.CloudEventSerializer;
import io.dealflow.bench.workload.DealPlan;
import io.dealflow.bench.workload.SalesWorld;
import io.dealflow.events.v1.DealActivityLogged;
import io.dealflow.events.v1.DealCreated;
import io.dealflow.events.v1.DealLost;
import io.dealflow.events.v1.DealMovedToStage;
import io.dealflow.events.v1.DealUpdated;
import io.dealflow.events.v1.DealWon;
import io.dealflow.events.v1.EventTypes;
import io.dealflow.events.v1.Money;
import io.dealflow.events.v1.PipelineDefined;
import io.dealflow.events.v1.StageInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Puts a generated sales world straight onto the topic (no HTTP, no event store), exactly as pipeline-service
 * would publish it: for loading 100k–1M deals into the analytics read model quickly.
 */
final class TopicLoader {

    private static final String[] NAMES = {"Lead", "Qualified", "Demo", "Proposal", "Negotiation"};
    private static final String[] PHASES = {"AWARENESS", "INTEREST", "CONSIDERATION", "DECISION", "DECISION"};
    private static final int[] PROBABILITIES = {10, 20, 40, 60, 80};
    private static final URI SOURCE = URI.create(EventTypes.SOURCE);

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final String bootstrapServers;
    private final int eventsPerSecond;
    private long sent;
    private long startNanos;

    /** A loader that writes as fast as the broker takes it. */
    TopicLoader(String bootstrapServers) {
        this(bootstrapServers, 0);
    }

    /** A loader that writes {@code eventsPerSecond} events a second (0: as fast as it can). */
    TopicLoader(String bootstrapServers, int eventsPerSecond) {
        this.bootstrapServers = bootstrapServers;
        this.eventsPerSecond = eventsPerSecond;
    }

    private static StageInfo stage(int i) {
        return new StageInfo(SalesWorld.STAGES.get(i), NAMES[i], i, PROBABILITIES[i], PHASES[i]);
    }

    /** Returns the number of events written. */
    long load(String pipelineId, int deals, long seed) throws Exception {
        AtomicReference<Exception> failure = new AtomicReference<>();
        long events = 0;
        sent = 0;
        startNanos = System.nanoTime();
        try (KafkaProducer<String, CloudEvent> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new CloudEventSerializer())) {
            List<PipelineDefined.PipelineStage> stages = new ArrayList<>();
            for (int i = 0; i < NAMES.length; i++) {
                stages.add(new PipelineDefined.PipelineStage(SalesWorld.STAGES.get(i), NAMES[i], i, PROBABILITIES[i], PHASES[i], null));
            }
            Instant now = Instant.now();
            send(producer, failure, EventTypes.PIPELINE_DEFINED, pipelineId, 0, now,
                    new PipelineDefined(pipelineId, "Bench", stages, List.of("Price", "Timing", "Competitor", "No decision", "Other"), now, "bench"));
            events++;
            SalesWorld world = SalesWorld.lastSixMonths(seed, now);
            for (int d = 0; d < deals; d++) {
                DealPlan plan = world.next(d);
                String id = new UUID(seed, d).toString();
                Money amount = new Money(plan.amount().toPlainString(), plan.currency());
                long seq = 0;
                int current = 0;
                boolean slipped = false;
                send(producer, failure, EventTypes.DEAL_CREATED, id, seq++, plan.createdAt(), new DealCreated(id, pipelineId, plan.title(),
                        amount, plan.ownerId(), plan.source(), plan.expectedCloseDate(), plan.company(), plan.contact(), stage(0),
                        plan.createdAt(), "bench"));
                for (DealPlan.Step step : plan.steps()) {
                    if (step instanceof DealPlan.Move move) {
                        int to = SalesWorld.STAGES.indexOf(move.stageId());
                        send(producer, failure, EventTypes.DEAL_MOVED_TO_STAGE, id, seq++, step.at(),
                                new DealMovedToStage(id, pipelineId, stage(current), stage(to), step.at(), "bench"));
                        current = to;
                        if (d % 5 == 0 && !slipped && plan.expectedCloseDate() != null) {
                            // one deal in five has its expected close pushed out two weeks once, as sales teams do
                            slipped = true;
                            send(producer, failure, EventTypes.DEAL_UPDATED, id, seq++, step.at(), new DealUpdated(id, pipelineId,
                                    List.of("expectedCloseDate"), plan.title(), amount, plan.ownerId(), plan.source(),
                                    plan.expectedCloseDate().plusWeeks(2), plan.company(), plan.contact(), step.at(), "bench"));
                        }
                    } else if (step instanceof DealPlan.Activity activity) {
                        send(producer, failure, EventTypes.DEAL_ACTIVITY_LOGGED, id, seq++, step.at(),
                                new DealActivityLogged(id, pipelineId, "a" + seq, activity.kind(), null, step.at(), "bench"));
                    } else if (step instanceof DealPlan.Win) {
                        send(producer, failure, EventTypes.DEAL_WON, id, seq++, step.at(), new DealWon(id, pipelineId, stage(current), amount, step.at(), "bench"));
                    } else if (step instanceof DealPlan.Lose lose) {
                        send(producer, failure, EventTypes.DEAL_LOST, id, seq++, step.at(),
                                new DealLost(id, pipelineId, stage(current), lose.reason(), null, step.at(), "bench"));
                    }
                }
                events += seq;
                if (failure.get() != null) {
                    throw failure.get();
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return events;
    }

    private void send(KafkaProducer<String, CloudEvent> producer, AtomicReference<Exception> failure, String type, String subject,
                      long seq, Instant time, Object payload) throws Exception {
        CloudEvent event = CloudEventBuilder.v1().withId(UUID.randomUUID().toString()).withType(type).withSource(SOURCE)
                .withSubject(subject).withTime(time.atOffset(ZoneOffset.UTC))
                .withExtension(EventTypes.RECORDED_TIME_EXTENSION, Instant.now().toString())
                .withExtension(EventTypes.SEQUENCE_EXTENSION, String.valueOf(seq))
                .withDataContentType("application/json").withData(json.writeValueAsBytes(payload)).build();
        producer.send(new ProducerRecord<>(EventTypes.TOPIC, subject, event), (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        });
        pace();
    }

    /** Waits, every hundred events, until the events sent so far are due at the configured rate. */
    private void pace() throws InterruptedException {
        if (eventsPerSecond > 0 && ++sent % 100 == 0) {
            long due = startNanos + sent * 1_000_000_000L / eventsPerSecond;
            long early = due - System.nanoTime();
            if (early > 0) {
                Thread.sleep(early / 1_000_000, (int) (early % 1_000_000));
            }
        }
    }
}
