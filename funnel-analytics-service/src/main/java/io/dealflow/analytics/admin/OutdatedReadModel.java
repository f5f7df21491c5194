package io.dealflow.analytics.admin;

import io.dealflow.analytics.generation.ReadModelGenerations;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A read model made by an earlier schema is rebuilt from the topic as the service starts (never migrated in place). */
@Singleton
public class OutdatedReadModel {

    private static final Logger log = LoggerFactory.getLogger(OutdatedReadModel.class);

    private final ReadModelGenerations generations;
    private final Rebuild rebuild;

    public OutdatedReadModel(ReadModelGenerations generations, Rebuild rebuild) {
        this.generations = generations;
        this.rebuild = rebuild;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (generations.outdated()) {
            log.info(rebuild.start() ? "Rebuilding the read model from the topic in a new generation"
                    : "A rebuild runs on another instance; it replaces the outdated read model");
        }
    }
}
