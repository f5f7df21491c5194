package io.dealflow.pipeline.publishing;

import org.apache.kafka.clients.admin.NewTopic;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class PublishingConfig {

    /** A failed send must roll the batch back and retry it, never be logged and skipped (Axon's default). */
    @Bean
    ConfigurerModule publisherPropagatesErrors() {
        return configurer -> configurer.eventProcessing()
                .registerListenerInvocationErrorHandler(DealEventPublisher.GROUP, c -> PropagatingErrorHandler.instance());
    }

    @Bean
    NewTopic dealEventsTopic(@Value("${dealflow.topic}") String topic,
                             @Value("${dealflow.topic-partitions}") int partitions,
                             @Value("${dealflow.topic-replicas:1}") short replicas) {
        return new NewTopic(topic, partitions, replicas);
    }
}
