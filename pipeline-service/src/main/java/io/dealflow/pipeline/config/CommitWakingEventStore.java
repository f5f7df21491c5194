package io.dealflow.pipeline.config;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The embedded event store, with its readers woken when appended events are really committed.
 * <p>
 * Axon wakes the store's reader when a unit of work commits. Inside a transaction Spring manages (every command runs
 * in the group commit's shared one) that is before the database commit: the reader found nothing and looked again
 * only after the fetch delay. Worse, Axon's pooled streaming processor (the Kafka publisher) asks its stream for an
 * availability callback, and without one it polls every 500 ms — on average a quarter of a second between a 2xx and
 * the event on Kafka. Here the wake-up waits for the database commit, and the streams offer the callback: after a
 * commit the publisher reads what was committed.
 * Wake-ups are at least {@code minInterval} apart: each one costs the publisher a batch (a Kafka round trip and a token
 * commit), so commits that follow each other closely share one.
 */
public class CommitWakingEventStore extends EmbeddedEventStore {

    private static final Object WAKE_SCHEDULED = new Object();

    private final Set<WakeableStream> streams = ConcurrentHashMap.newKeySet();
    private final List<Consumer<List<? extends EventMessage<?>>>> appendListeners = new CopyOnWriteArrayList<>();
    private final long minIntervalNanos;
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();
    private final ScheduledExecutorService waker = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "event-store-waker");
        thread.setDaemon(true);
        return thread;
    });
    private volatile long lastWake = System.nanoTime();

    CommitWakingEventStore(Builder builder, Duration minInterval) {
        super(builder);
        this.minIntervalNanos = minInterval.toNanos();
    }

    /** Tells the listener about every append, in the appending transaction (before it commits, so also of appends then rolled back). */
    public void onAppend(Consumer<List<? extends EventMessage<?>>> listener) {
        appendListeners.add(listener);
    }

    @Override
    protected void prepareCommit(List<? extends EventMessage<?>> events) {
        super.prepareCommit(events);
        appendListeners.forEach(listener -> listener.accept(events));
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        wakeReadersOnCommit();
    }

    /**
     * For events appended to the storage engine past Axon's bus (an import): tells the append listeners and wakes the
     * readers once the current transaction commits.
     */
    public void appendedPastTheBus(List<? extends EventMessage<?>> events) {
        appendListeners.forEach(listener -> listener.accept(events));
        wakeReadersOnCommit();
    }

    /** Wakes the readers once the current transaction commits (at once outside one). */
    private void wakeReadersOnCommit() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            requestWake();
            return;
        }
        if (TransactionSynchronizationManager.hasResource(WAKE_SCHEDULED)) {
            return;
        }
        TransactionSynchronizationManager.bindResource(WAKE_SCHEDULED, Boolean.TRUE);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(WAKE_SCHEDULED);
                if (status == STATUS_COMMITTED) {
                    requestWake();
                }
            }
        });
    }

    private void requestWake() {
        if (wakeScheduled.compareAndSet(false, true)) {
            long wait = lastWake + minIntervalNanos - System.nanoTime();
            waker.schedule(this::wake, Math.max(0, wait), TimeUnit.NANOSECONDS);
        }
    }

    private void wake() {
        wakeScheduled.set(false);
        lastWake = System.nanoTime();
        streams.forEach(WakeableStream::wake);
    }

    @Override
    public void shutDown() {
        waker.shutdownNow();
        super.shutDown();
    }

    @Override
    public TrackingEventStream openStream(TrackingToken trackingToken) {
        return new WakeableStream(super.openStream(trackingToken));
    }

    private final class WakeableStream implements TrackingEventStream {

        private final TrackingEventStream delegate;
        private volatile Runnable onAvailable;

        WakeableStream(TrackingEventStream delegate) {
            this.delegate = delegate;
        }

        void wake() {
            Runnable callback = onAvailable;
            if (callback != null) {
                callback.run();
            }
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            onAvailable = callback;
            streams.add(this);
            return true;
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return delegate.hasNextAvailable(timeout, unit);
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return delegate.peek();
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return delegate.nextAvailable();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public void close() {
            streams.remove(this);
            delegate.close();
        }
    }

    /** Builds the store like {@link EmbeddedEventStore#builder()}, with wake-ups at least {@code minInterval} apart. */
    public static Builder wakingBuilder(Duration minInterval) {
        return new Builder() {
            @Override
            public EmbeddedEventStore build() {
                return new CommitWakingEventStore(this, minInterval);
            }
        };
    }
}
