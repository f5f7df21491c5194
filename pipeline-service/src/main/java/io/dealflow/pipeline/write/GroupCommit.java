package io.dealflow.pipeline.write;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Group commit: the writes of concurrent requests share one database transaction and one commit. Each writer thread
 * takes whatever work has queued up (up to {@code maxBatch}), runs every piece in a savepoint of its own — a piece
 * that fails is rolled back alone and its caller gets the error — and commits once; only then do the callers get
 * their answers, so a 2xx still means the change is durable. Work for one routing key (a deal) always goes to the
 * same writer, so it sees its own uncommitted writes instead of conflicting with another writer's.
 */
@Component
public class GroupCommit {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    private record Work<T>(Supplier<T> body, CompletableFuture<T> answer) {
    }

    private final List<BlockingQueue<Work<?>>> queues = new ArrayList<>();
    private final List<Thread> writers = new ArrayList<>();
    private final TransactionTemplate batch;
    private final TransactionTemplate piece;
    private final int maxBatch;
    private final ObjectProvider<CommitFailureListener> failureListeners;
    private final DistributionSummary batchSizes;
    private volatile boolean running = true;

    public GroupCommit(PlatformTransactionManager transactions, MeterRegistry meters,
                       ObjectProvider<CommitFailureListener> failureListeners,
                       @Value("${dealflow.group-commit.writers:1}") int writerCount,
                       @Value("${dealflow.group-commit.max-batch:64}") int maxBatch) {
        this.batch = new TransactionTemplate(transactions);
        this.piece = new TransactionTemplate(transactions);
        this.piece.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.maxBatch = maxBatch;
        this.failureListeners = failureListeners;
        this.batchSizes = DistributionSummary.builder("dealflow.group.commit.batch.size")
                .description("Commands committed together in one transaction").register(meters);
        for (int i = 0; i < writerCount; i++) {
            BlockingQueue<Work<?>> queue = new LinkedBlockingQueue<>();
            queues.add(queue);
            Thread writer = new Thread(() -> drain(queue), "group-commit-" + i);
            writer.setDaemon(true);
            writers.add(writer);
            writer.start();
        }
    }

    /** Runs {@code body} in a shared transaction and returns its result once that transaction is committed. */
    public <T> T run(String routingKey, Supplier<T> body) {
        int writer = routingKey == null ? ThreadLocalRandom.current().nextInt(queues.size())
                : Math.floorMod(routingKey.hashCode(), queues.size());
        CompletableFuture<T> answer = new CompletableFuture<>();
        queues.get(writer).add(new Work<>(body, answer));
        return Completion.await(answer, "the commit");
    }

    private void drain(BlockingQueue<Work<?>> queue) {
        List<Work<?>> taken = new ArrayList<>(maxBatch);
        while (running) {
            try {
                taken.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(taken, maxBatch - 1);
            commit(taken);
            taken.clear();
        }
    }

    private void commit(List<Work<?>> taken) {
        List<Runnable> answers = new ArrayList<>(taken.size());
        try {
            batch.executeWithoutResult(status -> {
                for (Work<?> work : taken) {
                    answers.add(runPiece(work));
                }
            });
        } catch (RuntimeException | Error e) {
            log.warn("A group commit of {} writes failed; each caller gets the error", taken.size(), e);
            failureListeners.forEach(CommitFailureListener::commitFailed);
            for (Work<?> work : taken) {
                work.answer().completeExceptionally(e);
            }
            return;
        }
        batchSizes.record(taken.size());
        answers.forEach(Runnable::run);
    }

    private <T> Runnable runPiece(Work<T> work) {
        try {
            T result = piece.execute(status -> work.body().get());
            return () -> work.answer().complete(result);
        } catch (RuntimeException | Error e) {
            return () -> work.answer().completeExceptionally(e);
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        writers.forEach(Thread::interrupt);
    }
}
