package io.dealflow.analytics.funnel;

import io.dealflow.analytics.web.ProblemException;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.QueryValue;

import java.time.Instant;

/** Which deals a question is about, as {@link SliceParams}, and the window their creation falls in ({@code from} inclusive, {@code to} exclusive). */
@Introspected
public record WindowParams(@QueryValue @Nullable String pipelineId, @QueryValue @Nullable String from,
                           @QueryValue @Nullable String to, @QueryValue @Nullable String ownerId,
                           @QueryValue @Nullable String source) {

    public FunnelFilter filter() {
        Instant start = QueryInstant.parse("from", from);
        Instant end = QueryInstant.parse("to", to);
        if (start != null && end != null && !start.isBefore(end)) {
            throw ProblemException.badRequest("from must be before to");
        }
        return new FunnelFilter(pipelineId == null || pipelineId.isBlank() ? "default" : pipelineId, start, end,
                blankToNull(ownerId), blankToNull(source));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
