package io.dealflow.pipeline.config;

import io.dealflow.pipeline.tracing.RequestTrace;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

@Configuration
public class AxonConfig {

    /**
     * Copies the actor and the request's trace context from each command's metadata onto the events it causes. Only
     * from commands: Axon asks the provider about every message a handler gets, also each event the publisher reads
     * from the store, whose stored metadata it would deserialise for nothing (a sixth of the publisher's work).
     */
    @Bean
    public CorrelationDataProvider actorCorrelation() {
        CorrelationDataProvider copy = new SimpleCorrelationDataProvider(Actor.METADATA_KEY, RequestTrace.METADATA_KEY);
        return message -> message instanceof CommandMessage<?> ? copy.correlationDataFor(message) : Map.of();
    }

    /**
     * The seller's views (deal_view, pipeline_view) are kept in the command's own transaction: a view that cannot be
     * written fails the command (nothing stored), never a 2xx with a stale view (Axon's default logs and goes on).
     */
    @Bean
    public ConfigurerModule viewsFailTheirCommand() {
        return configurer -> configurer.eventProcessing()
                .registerListenerInvocationErrorHandler("deal-views", c -> PropagatingErrorHandler.instance())
                .registerListenerInvocationErrorHandler("pipeline-views", c -> PropagatingErrorHandler.instance());
    }

    @Bean
    public SnapshotTriggerDefinition dealSnapshotTrigger(Snapshotter snapshotter,
                                                         @Value("${dealflow.deals.snapshot-after}") int threshold) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, threshold);
    }

    /**
     * Whole microseconds: what both databases keep of a timestamp, so a command's answer, folded from its events, shows
     * the times exactly as a later read of the stored row does.
     */
    @Bean
    public Clock clock() {
        return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
    }
}
