package io.dealflow.analytics.admin;

import io.dealflow.analytics.generation.ReadModelGenerations;
import io.dealflow.analytics.projection.FunnelProjection;
import io.micronaut.configuration.kafka.ConsumerRegistry;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * While another instance rebuilds the read model, this one stops consuming (its writes would land in the generation
 * being replaced) and resumes, where its consumers were, once the rebuild's lease is gone — on the generation the
 * rebuild made active.
 */
@Singleton
public class RebuildWatch {

    private static final Logger log = LoggerFactory.getLogger(RebuildWatch.class);

    private final RebuildLease lease;
    private final ConsumerRegistry consumers;
    private final ReadModelGenerations generations;
    private final FunnelProjection projection;
    private volatile boolean pausedForAnother;

    public RebuildWatch(RebuildLease lease, ConsumerRegistry consumers, ReadModelGenerations generations, FunnelProjection projection) {
        this.lease = lease;
        this.consumers = consumers;
        this.generations = generations;
        this.projection = projection;
    }

    @Scheduled(fixedDelay = "${dealflow.rebuild.watch-every:1s}", initialDelay = "${dealflow.rebuild.watch-every:1s}")
    void watch() {
        Optional<String> other = lease.heldByAnother();
        if (other.isEmpty() && !pausedForAnother) {
            follow();
        }
        if (other.isPresent()) {
            if (!pausedForAnother) {
                log.info("{} is rebuilding the read model; consuming paused until it is done", other.get());
            }
            // again on every look: a pause holds the partitions assigned when it was asked, not those a rebalance adds
            consumers.getConsumerIds().forEach(consumers::pause);
            pausedForAnother = true;
        } else if (other.isEmpty() && pausedForAnother) {
            follow();
            log.info("The rebuild elsewhere is over; consuming again");
            consumers.getConsumerIds().forEach(consumers::resume);
            pausedForAnother = false;
        }
    }

    /** Answers from the generation another instance's rebuild made active, once it is (checked on every look). */
    private void follow() {
        String before = generations.active();
        if (generations.refresh()) {
            projection.forget(before);
        }
    }

    /** True while this instance's consumers are paused for another instance's rebuild (each stops after the batch it was polling for). */
    public boolean pausedForAnother() {
        return pausedForAnother;
    }
}
