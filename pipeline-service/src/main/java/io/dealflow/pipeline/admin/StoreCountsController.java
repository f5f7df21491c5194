package io.dealflow.pipeline.admin;

import io.swagger.v3.oas.annotations.Operation;

import io.dealflow.pipeline.access.RequiresScope;
import io.dealflow.pipeline.web.Problem;
import io.dealflow.pipeline.web.ProblemException;
import io.dealflow.trust.Scope;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the event store holds, per aggregate (deal or pipeline): the number of events. Feeds the
 * reconciliation of store, topic and projection in funnel-analytics-service. Paged by aggregate id.
 */
@RestController
class StoreCountsController {

    private final JdbcTemplate jdbc;

    StoreCountsController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @RequiresScope(Scope.ADMIN)
    @Operation(summary = "Events per deal in the store, for reconciliation")
    @GetMapping("/api/v1/admin/store-counts")
    Map<String, Object> counts(@RequestParam(defaultValue = "") String after, @RequestParam(defaultValue = "10000") int limit) {
        if (limit < 1 || limit > 100_000) {
            throw new ProblemException(Problem.VALIDATION, "limit must be 1–100000");
        }
        List<Map<String, Object>> aggregates = new ArrayList<>();
        jdbc.query("select aggregateidentifier, count(*), max(sequencenumber) from domainevententry where aggregateidentifier > ?"
                + " group by aggregateidentifier order by aggregateidentifier limit ?", rs -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("aggregateId", rs.getString(1));
            row.put("events", rs.getLong(2));
            row.put("lastSequence", rs.getLong(3));
            aggregates.add(row);
        }, after, limit);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("totalEvents", jdbc.queryForObject("select count(*) from domainevententry", Long.class));
        answer.put("aggregates", aggregates);
        if (aggregates.size() == limit) {
            answer.put("nextAfter", aggregates.get(aggregates.size() - 1).get("aggregateId"));
        }
        return answer;
    }
}
