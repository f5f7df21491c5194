package io.dealflow.pipeline.pipeline;

import io.dealflow.pipeline.rules.Rule;
import io.dealflow.pipeline.rules.RuleBroken;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/** A pipeline: its ordered stages and lost-reason catalogue, event-sourced like deals. */
@Aggregate
public class Pipeline {

    @AggregateIdentifier
    private String pipelineId;
    private List<String> stageIds = List.of();

    protected Pipeline() {
    }

    @CommandHandler
    public Pipeline(DefinePipeline command, Clock clock) {
        validate(command);
        apply(new PipelineDefined(command.pipelineId(), command.name().strip(), List.copyOf(command.stages()),
                command.lostReasons() == null ? List.of() : List.copyOf(command.lostReasons()), clock.instant()));
    }

    @CommandHandler
    public void handle(ChangePipeline command, StageOccupancy occupancy, Clock clock) {
        validate(new DefinePipeline(command.pipelineId(), command.name(), command.stages(), command.lostReasons()));
        Set<String> kept = new HashSet<>();
        command.stages().forEach(stage -> kept.add(stage.id()));
        for (String removed : stageIds) {
            if (!kept.contains(removed)) {
                long deals = occupancy.dealsIn(pipelineId, removed);
                if (deals > 0) {
                    throw new RuleBroken(Rule.STAGE_IN_USE, "Stage '" + removed + "' still holds " + deals
                            + " deal(s); move them first", Map.of("stageId", removed, "deals", deals));
                }
            }
        }
        apply(new PipelineChanged(pipelineId, command.name().strip(), List.copyOf(command.stages()),
                command.lostReasons() == null ? List.of() : List.copyOf(command.lostReasons()), clock.instant()));
    }

    @EventSourcingHandler
    void on(PipelineDefined event) {
        this.pipelineId = event.pipelineId();
        this.stageIds = event.stages().stream().map(Stage::id).toList();
    }

    @EventSourcingHandler
    void on(PipelineChanged event) {
        this.stageIds = event.stages().stream().map(Stage::id).toList();
    }

    public static void validate(DefinePipeline command) {
        if (command.pipelineId() == null || !command.pipelineId().matches("[a-z0-9][a-z0-9-]{0,63}")) {
            throw new RuleBroken(Rule.INVALID_INPUT, "pipeline id must be 1–64 lowercase letters, digits or dashes");
        }
        if (command.name() == null || command.name().isBlank() || command.name().length() > 200) {
            throw new RuleBroken(Rule.INVALID_INPUT, "pipeline name must be 1–200 characters");
        }
        if (command.stages() == null || command.stages().isEmpty() || command.stages().size() > 50) {
            throw new RuleBroken(Rule.INVALID_INPUT, "a pipeline needs 1–50 stages");
        }
        if (command.lostReasons() != null && (command.lostReasons().size() > 100 || command.lostReasons().stream()
                .anyMatch(r -> r == null || r.isBlank() || r.length() > 200))) {
            throw new RuleBroken(Rule.INVALID_INPUT, "lost reasons must be at most 100 texts of 1–200 characters");
        }
        Set<String> ids = new HashSet<>();
        for (Stage stage : command.stages()) {
            if (stage == null || stage.id() == null || !stage.id().matches("[a-z0-9][a-z0-9-]{0,63}")) {
                throw new RuleBroken(Rule.INVALID_INPUT, "stage id must be 1–64 lowercase letters, digits or dashes");
            }
            if (!ids.add(stage.id())) {
                throw new RuleBroken(Rule.INVALID_INPUT, "duplicate stage id " + stage.id());
            }
            if (stage.name() == null || stage.name().isBlank() || stage.name().length() > 200) {
                throw new RuleBroken(Rule.INVALID_INPUT, "stage name must be 1–200 characters");
            }
            if (stage.probability() < 0 || stage.probability() > 100) {
                throw new RuleBroken(Rule.INVALID_INPUT, "stage probability must be 0–100");
            }
            if (stage.phase() == null) {
                throw new RuleBroken(Rule.INVALID_INPUT, "stage phase is required");
            }
            if (stage.rottingDays() != null && stage.rottingDays() < 1) {
                throw new RuleBroken(Rule.INVALID_INPUT, "rottingDays must be at least 1");
            }
        }
    }
}
