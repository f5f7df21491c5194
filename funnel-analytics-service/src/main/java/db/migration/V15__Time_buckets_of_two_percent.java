package db.migration;

import io.dealflow.analytics.projection.TallyBackfill;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Counts every counter again now that the time-in-stage and sales-cycle buckets ('time' k2, 'cycle' k1) are 2 % wide
 * instead of 1 % ({@link io.dealflow.analytics.funnel.DurationSketch}): the buckets stored before would be read at the
 * wrong durations.
 */
public class V15__Time_buckets_of_two_percent extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        TallyBackfill.refill(context.getConnection());
    }
}
