package io.dealflow.analytics.funnel;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.QueryValue;

/** Which deals a question is about: a pipeline (default "default"), narrowed to one owner or one source. */
@Introspected
public record SliceParams(@QueryValue @Nullable String pipelineId, @QueryValue @Nullable String ownerId,
                          @QueryValue @Nullable String source) {

    public FunnelFilter filter() {
        return new WindowParams(pipelineId, null, null, ownerId, source).filter();
    }
}
