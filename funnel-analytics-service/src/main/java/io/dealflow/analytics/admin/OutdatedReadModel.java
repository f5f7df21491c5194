package io.dealflow.analytics.admin;

import io.dealflow.analytics.generation.ReadModelGenerations;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read model made by an earlier schema is rebuilt from the topic once the service runs (never migrated in place),
 * and tried again until a rebuild has swapped in a current generation: at first pipeline-service, whose store the
 * rebuild compares the topic with, may still be starting.
 */
@Singleton
public class OutdatedReadModel {

    private static final Logger log = LoggerFactory.getLogger(OutdatedReadModel.class);

    private final ReadModelGenerations generations;
    private final Rebuild rebuild;

    public OutdatedReadModel(ReadModelGenerations generations, Rebuild rebuild) {
        this.generations = generations;
        this.rebuild = rebuild;
    }

    @Scheduled(fixedDelay = "${dealflow.rebuild.outdated-retry:10s}", initialDelay = "1s")
    void rebuildWhileOutdated() {
        String state = rebuild.status().state();
        if (generations.outdated() && !state.equals("RUNNING") && !state.equals("REPUBLISHING") && rebuild.start()) {
            log.info("Rebuilding the read model from the topic in a new generation (it was made by an earlier schema)");
        }
    }
}
