package db.migration;

import io.dealflow.analytics.projection.TallyBackfill;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/** Counts every counter again into the tables of V11, with the projection's own code. */
public class V12__Recount_tallies extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        TallyBackfill.refill(context.getConnection());
    }
}
