package io.dealflow.pipeline.pipeline;

import io.dealflow.pipeline.config.Actor;
import io.dealflow.pipeline.pipeline.query.PipelineCatalog;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

import java.util.List;

/** Defines the default pipeline on the first start, so a fresh install can take deals at once. */
@Component
class DefaultPipeline implements ApplicationRunner {

    static final String ID = "default";
    private static final Logger log = LoggerFactory.getLogger(DefaultPipeline.class);

    private final PipelineCatalog catalog;
    private final CommandGateway commands;

    DefaultPipeline(PipelineCatalog catalog, CommandGateway commands) {
        this.catalog = catalog;
        this.commands = commands;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (catalog.find(ID).isPresent()) {
            return;
        }
        try {
            commands.sendAndWait(new DefinePipeline(ID, "New business", List.of(
                    new Stage("lead", "Lead", 10, Phase.AWARENESS, 7),
                    new Stage("qualified", "Qualified", 20, Phase.INTEREST, 14),
                    new Stage("demo", "Demo", 40, Phase.CONSIDERATION, 14),
                    new Stage("proposal", "Proposal", 60, Phase.DECISION, 21),
                    new Stage("negotiation", "Negotiation", 80, Phase.DECISION, 21)),
                    List.of("Price", "Timing", "Competitor", "No decision", "Other")), Actor.metaData(Actor.SYSTEM));
            log.info("Defined the default pipeline");
        } catch (RuntimeException e) {
            // Another instance may have defined it at the same moment.
            if (catalog.find(ID).isEmpty()) {
                throw e;
            }
        }
    }
}
