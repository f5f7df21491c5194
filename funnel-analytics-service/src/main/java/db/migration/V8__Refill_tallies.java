package db.migration;

import io.dealflow.analytics.projection.TallyBackfill;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/** Recounts every counter, so a read model built before V7 gets the trend and velocity counters too. */
public class V8__Refill_tallies extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        TallyBackfill.refill(context.getConnection());
    }
}
