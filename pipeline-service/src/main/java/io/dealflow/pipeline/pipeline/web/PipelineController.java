package io.dealflow.pipeline.pipeline.web;

import io.dealflow.pipeline.access.RequiresScope;
import io.dealflow.pipeline.config.Actor;
import io.dealflow.pipeline.pipeline.ChangePipeline;
import io.dealflow.pipeline.pipeline.DefinePipeline;
import io.dealflow.pipeline.pipeline.Pipeline;
import io.dealflow.pipeline.pipeline.PipelineView;
import io.dealflow.pipeline.pipeline.Stage;
import io.dealflow.pipeline.pipeline.query.PipelineCatalog;
import io.dealflow.pipeline.web.Problem;
import io.dealflow.pipeline.web.ProblemException;
import io.dealflow.trust.Scope;
import io.swagger.v3.oas.annotations.Operation;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;

@RestController
@RequestMapping("/api/v1/pipelines")
class PipelineController {

    private final PipelineCatalog catalog;
    private final CommandGateway commands;

    PipelineController(PipelineCatalog catalog, CommandGateway commands) {
        this.catalog = catalog;
        this.commands = commands;
    }

    record DefinePipelineBody(String id, String name, List<Stage> stages, List<String> lostReasons) {
    }

    @RequiresScope(Scope.DEALS_READ)
    @Operation(summary = "List pipelines with their ordered stages")
    @GetMapping
    List<PipelineView> list() {
        return catalog.all();
    }

    @RequiresScope(Scope.DEALS_READ)
    @Operation(summary = "One pipeline")
    @GetMapping("/{pipelineId}")
    PipelineView get(@PathVariable String pipelineId) {
        return catalog.find(pipelineId).orElseThrow(() ->
                new ProblemException(Problem.PIPELINE_NOT_FOUND, "No pipeline with id " + pipelineId));
    }

    @RequiresScope(Scope.DEALS_WRITE)
    @Operation(summary = "Define a pipeline")
    @PostMapping
    ResponseEntity<PipelineView> define(@RequestBody DefinePipelineBody body,
                                        @RequestHeader(value = Actor.SUBJECT_HEADER, required = false) String actor) {
        DefinePipeline command = new DefinePipeline(body.id(), body.name(), body.stages(), body.lostReasons());
        Pipeline.validate(command);
        if (catalog.find(body.id()).isPresent()) {
            throw new ProblemException(Problem.PIPELINE_EXISTS, "A pipeline with id " + body.id() + " exists already");
        }
        commands.sendAndWait(command, Actor.metaData(actor));
        return ResponseEntity.created(URI.create("/api/v1/pipelines/" + body.id())).body(get(body.id()));
    }

    record ChangePipelineBody(String name, List<Stage> stages, List<String> lostReasons) {
    }

    /** Replaces name, stages and lost reasons. Stages are matched by id: a renamed stage keeps its id and its deals. */
    @RequiresScope(Scope.DEALS_WRITE)
    @Operation(summary = "Change a pipeline's stages, probabilities or lost reasons")
    @PutMapping("/{pipelineId}")
    ResponseEntity<PipelineView> change(@PathVariable String pipelineId, @RequestBody ChangePipelineBody body,
                                        @RequestHeader(value = "If-Match", required = false) String ifMatch,
                                        @RequestHeader(value = Actor.SUBJECT_HEADER, required = false) String actor) {
        get(pipelineId);
        commands.sendAndWait(new ChangePipeline(pipelineId, body.name(), body.stages(), body.lostReasons(), version(ifMatch)),
                Actor.metaData(actor));
        PipelineView view = get(pipelineId);
        return ResponseEntity.ok().eTag("\"" + view.version() + "\"").body(view);
    }

    private static Long version(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(ifMatch.replace("W/", "").replace("\"", "").strip());
        } catch (NumberFormatException e) {
            throw new ProblemException(Problem.VALIDATION, "If-Match must be an ETag returned by this API");
        }
    }
}
