package io.dealflow.pipeline.publishing;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

import java.time.Duration;

@Configuration
class PublishingConfig {

    /** A failed send must roll the batch back and retry it, never be logged and skipped (Axon's default). */
    @Bean
    ConfigurerModule publisherPropagatesErrors() {
        return configurer -> configurer.eventProcessing()
                .registerListenerInvocationErrorHandler(DealEventPublisher.GROUP, c -> PropagatingErrorHandler.instance());
    }

    /** Each instance claims only its share of the publisher's segments (see {@link PublisherShare}). */
    @Bean
    ConfigurerModule publisherClaimsItsShare(ObjectProvider<PublisherShare> share) {
        return configurer -> configurer.eventProcessing().registerPooledStreamingEventProcessorConfiguration(
                DealEventPublisher.GROUP, (config, builder) -> builder.maxSegmentProvider(name -> share.getObject().maxSegments()));
    }

    /**
     * The topic keeps every event for ever: a consumer that rebuilds from the start must find the whole history, as the
     * event store holds it. Set on an existing topic too (spring.kafka.admin.modify-topic-configs).
     */
    @Bean
    NewTopic dealEventsTopic(@Value("${dealflow.topic}") String topic,
                             @Value("${dealflow.topic-partitions}") int partitions,
                             @Value("${dealflow.topic-replicas}") short replicas,
                             @Value("${dealflow.topic-min-insync-replicas}") int minInSyncReplicas) {
        return TopicBuilder.name(topic).partitions(partitions).replicas(replicas)
                .config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInSyncReplicas))
                .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)
                .config(TopicConfig.RETENTION_MS_CONFIG, "-1")
                .config(TopicConfig.RETENTION_BYTES_CONFIG, "-1")
                .build();
    }

    /** Where each publisher segment's position is committed with its events (see {@link SegmentProducers}): the last one per key counts. */
    @Bean
    @ConditionalOnProperty(name = "dealflow.publisher.transactions", havingValue = "true")
    NewTopic publisherPositionsTopic(@Value("${dealflow.publisher.positions-topic}") String topic,
                                     @Value("${axon.eventhandling.processors.kafka-publisher.initial-segment-count}") int segments,
                                     @Value("${dealflow.topic-replicas}") short replicas,
                                     @Value("${dealflow.topic-min-insync-replicas}") int minInSyncReplicas) {
        return TopicBuilder.name(topic).partitions(segments).replicas(replicas)
                .config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInSyncReplicas))
                .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                .config(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Duration.ofMinutes(10).toMillis()))
                .build();
    }
}
