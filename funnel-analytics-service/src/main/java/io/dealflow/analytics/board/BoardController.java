package io.dealflow.analytics.board;

import io.dealflow.analytics.access.RequiresScope;
import io.dealflow.analytics.funnel.QueryInstant;
import io.dealflow.analytics.funnel.WindowParams;
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

@Controller("/api/v1/funnel/board")
@ExecuteOn(TaskExecutors.BLOCKING)
public class BoardController {

    private final BoardQuery query;

    public BoardController(BoardQuery query) {
        this.query = query;
    }

    /**
     * The pipeline board as it stood at {@code at} (now when absent): open deals per stage and in total, with their
     * amounts and weighted amounts per currency. Owner and source are the deals' current ones; from/to select deals by
     * creation time.
     */
    @RequiresScope(Scope.ANALYTICS_READ)
    @Operation(summary = "The pipeline board as it stood at an instant")
    @Get
    public BoardReport board(@RequestBean WindowParams window, @QueryValue @Nullable String at) {
        Instant instant = QueryInstant.parse("at", at);
        return query.board(window.filter(), instant == null ? Instant.now() : instant);
    }
}
