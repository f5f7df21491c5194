package io.dealflow.pipeline.imports;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkWritesTest {

    @Test
    void writesRunOneAtATimeInTheOrderTheyWereHandedOver() {
        List<Integer> order = new CopyOnWriteArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        try (ChunkWrites writes = new ChunkWrites()) {
            for (int i = 0; i < 20; i++) {
                int chunk = i;
                writes.submit(() -> {
                    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                    sleep(2);
                    order.add(chunk);
                    running.decrementAndGet();
                });
            }
        }
        assertEquals(java.util.stream.IntStream.range(0, 20).boxed().toList(), order, "closing waited for the last write");
        assertEquals(1, mostAtOnce.get());
    }

    @Test
    void theReaderGoesOnWhileAWriteIsStored() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ChunkWrites writes = new ChunkWrites()) {
            writes.submit(() -> await(release));
            assertTrue(writes.busy(), "submit handed the write over without waiting for it");
            release.countDown();
            writes.await();
            assertFalse(writes.busy());
        }
    }

    @Test
    void aFailedWriteStopsTheReaderAtItsNextHandOver() {
        IllegalStateException failure = new IllegalStateException("the database refused the chunk");
        AtomicInteger written = new AtomicInteger();
        ChunkWrites writes = new ChunkWrites();
        writes.submit(() -> {
            throw failure;
        });
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> writes.submit(written::incrementAndGet));
        assertSame(failure, thrown);
        writes.close();
        assertEquals(0, written.get(), "nothing after a failed chunk is written");
    }

    @Test
    void closingAfterTheReaderFailedStillWaitsForTheWriteInFlight() {
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        RuntimeException readerFailure = assertThrows(RuntimeException.class, () -> {
            try (ChunkWrites writes = new ChunkWrites()) {
                writes.submit(() -> {
                    started.countDown();
                    sleep(50);
                    finished.incrementAndGet();
                });
                await(started);
                throw new RuntimeException("line 7: unreadable");
            }
        });
        assertEquals("line 7: unreadable", readerFailure.getMessage());
        assertEquals(1, finished.get(), "the job's final status comes after its last write");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
