package io.dealflow.analytics.admin;

import io.micronaut.configuration.kafka.ConsumerRegistry;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * While another instance rebuilds the read model, this one stops consuming (its writes would land in tables being
 * emptied and refilled) and resumes, where its consumers were, once the rebuild's lease is gone.
 */
@Singleton
public class RebuildWatch {

    private static final Logger log = LoggerFactory.getLogger(RebuildWatch.class);

    private final RebuildLease lease;
    private final ConsumerRegistry consumers;
    private volatile boolean pausedForAnother;

    public RebuildWatch(RebuildLease lease, ConsumerRegistry consumers) {
        this.lease = lease;
        this.consumers = consumers;
    }

    @Scheduled(fixedDelay = "${dealflow.rebuild.watch-every:1s}", initialDelay = "${dealflow.rebuild.watch-every:1s}")
    void watch() {
        Optional<String> other = lease.heldByAnother();
        if (other.isPresent()) {
            if (!pausedForAnother) {
                log.info("{} is rebuilding the read model; consuming paused until it is done", other.get());
            }
            // again on every look: a pause holds the partitions assigned when it was asked, not those a rebalance adds
            consumers.getConsumerIds().forEach(consumers::pause);
            pausedForAnother = true;
        } else if (other.isEmpty() && pausedForAnother) {
            log.info("The rebuild elsewhere is over; consuming again");
            consumers.getConsumerIds().forEach(consumers::resume);
            pausedForAnother = false;
        }
    }

    /** True while this instance's consumers are paused for another instance's rebuild (each stops after the batch it was polling for). */
    public boolean pausedForAnother() {
        return pausedForAnother;
    }
}
