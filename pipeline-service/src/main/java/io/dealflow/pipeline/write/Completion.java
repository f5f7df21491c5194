package io.dealflow.pipeline.write;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waits for work handed to another thread and throws what it failed with, as if it had run on the waiting thread. */
public final class Completion {

    private Completion() {
    }

    /** The work's result; {@code waitingFor} names it in the exception thrown when the waiting thread is interrupted. */
    public static <T> T await(Future<T> work, String waitingFor) {
        try {
            return work.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + waitingFor, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
