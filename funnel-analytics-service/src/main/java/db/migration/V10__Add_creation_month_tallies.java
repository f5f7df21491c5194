package db.migration;

import io.dealflow.analytics.projection.TallyBackfill;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Recounts every counter, so a read model built before gets the creation-month slices too: the deals created in one
 * UTC month ('created:2026-07') keep the funnel's counters of V4 (reach, stage.entered / advanced / lost / current,
 * time), so a funnel over whole months of creation reads counters.
 */
public class V10__Add_creation_month_tallies extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        TallyBackfill.refill(context.getConnection());
    }
}
