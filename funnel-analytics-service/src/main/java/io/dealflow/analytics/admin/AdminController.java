package io.dealflow.analytics.admin;

import io.swagger.v3.oas.annotations.Operation;

import io.dealflow.analytics.access.RequiresScope;
import io.dealflow.analytics.web.ProblemException;
import io.dealflow.trust.Scope;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.SQLException;

/** Operations on the read model; behind the gateway's admin scope. */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class AdminController {

    private static final Logger log = LoggerFactory.getLogger(AdminController.class);

    private final Rebuild rebuild;
    private final Reconciliation reconciliation;

    public AdminController(Rebuild rebuild, Reconciliation reconciliation) {
        this.rebuild = rebuild;
        this.reconciliation = reconciliation;
    }

    /** Starts rebuilding the read model from the start of the topic; poll the GET for its progress. */
    @RequiresScope(Scope.ADMIN)
    @Operation(summary = "Rebuild the read model from the topic")
    @Post("/api/v1/analytics/admin/rebuild")
    public HttpResponse<Rebuild.Status> rebuild() {
        if (!rebuild.start()) {
            throw new ProblemException(HttpStatus.CONFLICT, "rebuild-running", "A rebuild is already running, here or on another instance");
        }
        return HttpResponse.accepted().body(rebuild.status());
    }

    @RequiresScope(Scope.ADMIN)
    @Operation(summary = "The rebuild's progress")
    @Get("/api/v1/analytics/admin/rebuild")
    public Rebuild.Status rebuildStatus() {
        return rebuild.status();
    }

    @RequiresScope(Scope.ADMIN)
    @Operation(summary = "Compare the events applied per deal with pipeline-service's store")
    @Get("/api/v1/analytics/reconciliation")
    public Reconciliation.Report reconcile(@QueryValue(defaultValue = "100") int maxDifferences) throws SQLException, InterruptedException {
        if (maxDifferences < 0 || maxDifferences > 10_000) {
            throw ProblemException.badRequest("maxDifferences must be 0–10000");
        }
        try {
            return reconciliation.run(maxDifferences);
        } catch (IOException | IllegalArgumentException e) {
            log.warn("Reconciliation could not read pipeline-service's store counts", e);
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "store-unreachable",
                    "pipeline-service could not be asked for its event counts; try again when it is up");
        }
    }
}
