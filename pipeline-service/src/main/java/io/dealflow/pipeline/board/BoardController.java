package io.dealflow.pipeline.board;

import io.dealflow.pipeline.access.RequiresScope;
import io.dealflow.pipeline.pipeline.query.PipelineCatalog;
import io.dealflow.pipeline.web.Problem;
import io.dealflow.pipeline.web.ProblemException;
import io.dealflow.trust.Scope;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class BoardController {

    private final PipelineCatalog catalog;
    private final BoardQuery query;

    BoardController(PipelineCatalog catalog, BoardQuery query) {
        this.catalog = catalog;
        this.query = query;
    }

    @RequiresScope(Scope.DEALS_READ)
    @Operation(summary = "The pipeline board: per stage its open deals, count, total and weighted amount")
    @GetMapping("/api/v1/pipelines/{pipelineId}/board")
    Board board(@PathVariable String pipelineId, @RequestParam(defaultValue = "20") int dealsPerStage,
                @RequestParam(required = false) String ownerId, @RequestParam(required = false) String source) {
        if (dealsPerStage < 0 || dealsPerStage > 200) {
            throw new ProblemException(Problem.VALIDATION, "dealsPerStage must be 0–200");
        }
        return query.board(catalog.find(pipelineId).orElseThrow(() ->
                new ProblemException(Problem.PIPELINE_NOT_FOUND, "No pipeline with id " + pipelineId)), dealsPerStage,
                blankToNull(ownerId), blankToNull(source));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
