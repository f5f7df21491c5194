package io.dealflow.pipeline.publishing;

import io.dealflow.pipeline.config.CommitWakingEventStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MetaData;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The events this instance appended lately, by identifier, as they were before they were serialised: the publisher
 * takes each one from here instead of deserialising the stored payload it reads back. An event not found here —
 * appended by another instance, pushed out by {@code capacity} later appends while the publisher was behind, or sent
 * again by a republish — is deserialised from the store as before. An append that is rolled back leaves its entries
 * to be pushed out: event identifiers are never reused.
 * <p>
 * A map and the order of appends rather than a caching library: a bounded cache's bookkeeping on every put and remove
 * cost about as much as the deserialising it saved.
 */
@Component
public class RecentlyAppended {

    private final Map<String, Appended> events = new ConcurrentHashMap<>();
    private final Queue<String> appendOrder = new ConcurrentLinkedQueue<>();
    private final AtomicInteger ordered = new AtomicInteger();
    private final int capacity;
    private final Counter fromMemory;
    private final Counter fromStore;

    /** An event as appended: its payload and metadata objects. */
    public record Appended(Object payload, MetaData metaData) {
    }

    public RecentlyAppended(@Value("${dealflow.publisher.recently-appended}") int capacity,
                            CommitWakingEventStore store, MeterRegistry meters) {
        this.capacity = capacity;
        String description = "events the publisher handled: taken as this instance appended them, or deserialised from the store";
        this.fromMemory = Counter.builder("dealflow.publisher.events").tag("read", "memory").description(description).register(meters);
        this.fromStore = Counter.builder("dealflow.publisher.events").tag("read", "store").description(description).register(meters);
        store.onAppend(this::remember);
    }

    private void remember(List<? extends EventMessage<?>> appended) {
        if (capacity <= 0) {
            return;
        }
        for (EventMessage<?> event : appended) {
            events.put(event.getIdentifier(), new Appended(event.getPayload(), event.getMetaData()));
            appendOrder.add(event.getIdentifier());
            if (ordered.incrementAndGet() > capacity) {
                String oldest = appendOrder.poll();
                if (oldest != null) {
                    ordered.decrementAndGet();
                    events.remove(oldest);
                }
            }
        }
    }

    /** The event as appended, removed from here (each event is published once); null if it is not here. */
    Appended take(String identifier) {
        Appended appended = events.remove(identifier);
        (appended != null ? fromMemory : fromStore).increment();
        return appended;
    }
}
