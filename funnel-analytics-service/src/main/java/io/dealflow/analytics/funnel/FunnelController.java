package io.dealflow.analytics.funnel;

import io.swagger.v3.oas.annotations.Operation;

import io.dealflow.analytics.access.RequiresScope;
import io.dealflow.analytics.web.ProblemException;
import io.dealflow.trust.Scope;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

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
    public FunnelReport funnel(@QueryValue @Nullable String pipelineId, @QueryValue @Nullable String from,
                               @QueryValue @Nullable String to, @QueryValue @Nullable String ownerId,
                               @QueryValue @Nullable String source, @QueryValue @Nullable String at) {
        FunnelFilter filter = filter(pipelineId, from, to, ownerId, source);
        Instant instant = instant("at", at);
        return instant == null ? query.funnel(filter) : query.funnelAt(filter, instant);
    }

    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("+10000-01-01T00:00:00Z");

    public static FunnelFilter filter(String pipelineId, String from, String to, String ownerId, String source) {
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        if (start != null && end != null && !start.isBefore(end)) {
            throw ProblemException.badRequest("from must be before to");
        }
        return new FunnelFilter(pipelineId == null || pipelineId.isBlank() ? "default" : pipelineId, start, end,
                blankToNull(ownerId), blankToNull(source));
    }

    /** Accepts an ISO instant (2026-11-01T00:00:00Z) or a date (2026-11-01, meaning its start in UTC). */
    public static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Instant instant = value.length() == 10 ? LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC) : Instant.parse(value);
            if (instant.isBefore(EARLIEST) || !instant.isBefore(LATEST)) {
                throw ProblemException.badRequest(name + " must be in the years 0001 to 9999");
            }
            return instant;
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(name + " must be an ISO date or instant, e.g. 2026-11-01 or 2026-11-01T00:00:00Z");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
