package io.dealflow.pipeline.config;

import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.micrometer.EventProcessorLatencyMonitor;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.MultiMessageMonitor;
import org.springframework.stereotype.Component;

/**
 * Axon's metrics (timers per command bus, event store and processor, see {@link MessageTimers}; each processor's
 * latency) without its capacity and counting monitors. The capacity monitor keeps every message's duration for a
 * sliding minute — under load a sorted map of hundreds of thousands of entries that all reached the old generation and
 * caused full-GC pauses of 200–350 ms; the counters repeat the timers' counts.
 */
@Component
public class AxonMetrics extends GlobalMetricRegistry {

    public AxonMetrics(MeterRegistry registry) {
        super(registry);
    }

    @Override
    public MessageMonitor<? super CommandMessage<?>> registerCommandBus(String name) {
        return timer(name);
    }

    @Override
    public MessageMonitor<? super EventMessage<?>> registerEventBus(String name) {
        return timer(name);
    }

    @Override
    public MessageMonitor<? super EventMessage<?>> registerEventProcessor(String name) {
        return new MultiMessageMonitor<>(timer(name),
                EventProcessorLatencyMonitor.builder().meterNamePrefix(name).meterRegistry(getRegistry()).build());
    }

    private MessageTimers timer(String name) {
        return new MessageTimers(name, getRegistry());
    }
}
