package db.migration;

import io.dealflow.analytics.projection.TallyBackfill;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Recounts every counter, so a read model built before gets the per-creation-day funnel counters too. They are the
 * funnel counters of V4 for the whole pipeline (slice '*') once more per creation day (k1, UTC):
 * day.reach (k2 = max stage position, k3 = status), day.entered / day.advanced / day.lost / day.current (k2 = stage id),
 * day.time (k2 = stage id, k3 = duration bucket; amount = seconds).
 */
public class V10__Add_day_cohort_tallies extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        TallyBackfill.refill(context.getConnection());
    }
}
