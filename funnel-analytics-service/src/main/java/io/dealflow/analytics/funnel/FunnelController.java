package io.dealflow.analytics.funnel;

import io.dealflow.analytics.access.RequiresScope;
import io.dealflow.trust.Scope;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestBean;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;

import java.time.Instant;

@Controller("/api/v1/funnel")
@ExecuteOn(TaskExecutors.BLOCKING)
public class FunnelController {

    private final FunnelQuery query;

    public FunnelController(FunnelQuery query) {
        this.query = query;
    }

    /** Per stage in pipeline order; with {@code at}, the funnel as it stood at that past instant. */
    @RequiresScope(Scope.ANALYTICS_READ)
    @Operation(summary = "The stage funnel: reached, conversion, drop-off, time in stage")
    @Get
    public FunnelReport funnel(@RequestBean WindowParams window, @QueryValue @Nullable String at) {
        FunnelFilter filter = window.filter();
        Instant instant = QueryInstant.parse("at", at);
        return instant == null ? query.funnel(filter) : query.funnelAt(filter, instant);
    }
}
