package db.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Once counted every counter again when the time-in-stage and sales-cycle buckets became 2 % wide instead of 1 %
 * ({@link io.dealflow.analytics.funnel.DurationSketch}): the buckets stored before would have been read at the wrong
 * durations. V16 counts everything again into one row per stage, so this step has nothing left to do; it stays so
 * that read models which applied it still validate.
 */
public class V15__Time_buckets_of_two_percent extends BaseJavaMigration {

    @Override
    public void migrate(Context context) {
        // superseded by V16
    }
}
