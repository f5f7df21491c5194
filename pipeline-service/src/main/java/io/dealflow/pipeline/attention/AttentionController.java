package io.dealflow.pipeline.attention;

import io.swagger.v3.oas.annotations.Operation;

import io.dealflow.pipeline.access.RequiresScope;
import io.dealflow.pipeline.web.Problem;
import io.dealflow.pipeline.web.ProblemException;
import io.dealflow.trust.Scope;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

@RestController
class AttentionController {

    private final AttentionQuery query;

    AttentionController(AttentionQuery query) {
        this.query = query;
    }

    @RequiresScope(Scope.DEALS_READ)
    @Operation(summary = "Deals that need action now, with the reasons")
    @GetMapping("/api/v1/deals/attention")
    Map<String, List<AttentionItem>> attention(@RequestParam(required = false) String pipelineId,
                                               @RequestParam(required = false) String ownerId,
                                               @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 500) {
            throw new ProblemException(Problem.VALIDATION, "limit must be 1–500");
        }
        return Map.of("items", query.find(pipelineId, ownerId, limit));
    }
}
