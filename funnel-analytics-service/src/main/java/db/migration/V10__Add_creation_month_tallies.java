package db.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Once recounted the counters so a read model built before got the creation-month slices ('created:2026-07'). V11
 * replaced the counter tables and V16 recounts everything into them, so this step has nothing left to do; it stays
 * so that read models which applied it still validate.
 */
public class V10__Add_creation_month_tallies extends BaseJavaMigration {

    @Override
    public void migrate(Context context) {
        // superseded by V16
    }
}
