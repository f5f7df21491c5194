package db.migration;

import io.dealflow.analytics.projection.TallyBackfill;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Statement;

/**
 * The time-in-stage and sales-cycle counters keep their stays per duration bucket in one row: 'time' has the stage as
 * k1 (k2 no longer holds a bucket) and 'cycle' no key, and {@code buckets} holds the counts per bucket
 * ({@link io.dealflow.analytics.funnel.BucketCounts}); n and amount stay the number of stays and their seconds. In the
 * benchmark's world a batch of 5,000 events added to about 4,000 bucket counters, nearly half of its counter writes,
 * and at 1M deals most of the 481 counters the funnel read were time buckets. Every counter is counted again.
 */
public class V16__Time_buckets_in_one_row extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute("alter table tally add column buckets bytea");
        }
        TallyBackfill.refill(context.getConnection());
    }
}
