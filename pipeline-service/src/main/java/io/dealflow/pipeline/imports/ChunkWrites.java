package io.dealflow.pipeline.imports;

import io.dealflow.pipeline.write.Completion;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The chunk writes of one pass over an import, run one at a time on a thread of their own: the next chunk is read and
 * checked while the database stores the previous one. A write's failure is thrown to the reading thread by the next
 * {@link #submit}, by {@link #await} or by {@link #close}, which waits for the write in flight (also when the reading
 * failed: the job's final status is recorded after its last write).
 */
final class ChunkWrites implements AutoCloseable {

    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> new Thread(r, "import-writer"));
    private Future<?> inFlight;

    /** Hands the write over once the previous one has finished. */
    void submit(Runnable write) {
        await();
        inFlight = writer.submit(write);
    }

    /** True while a write is being stored. */
    boolean busy() {
        return inFlight != null && !inFlight.isDone();
    }

    /** Waits for the write in flight, if any; throws what it failed with. */
    void await() {
        if (inFlight == null) {
            return;
        }
        Future<?> write = inFlight;
        inFlight = null;
        Completion.await(write, "a chunk of the import to be written");
    }

    @Override
    public void close() {
        try {
            await();
        } finally {
            writer.shutdown();
        }
    }
}
