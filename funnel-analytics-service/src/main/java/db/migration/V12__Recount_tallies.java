package db.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Once counted every counter into the tables of V11. V16 counts them again, so this
 * step has nothing left to do; it keeps its name so that read models which applied it still validate. It first landed
 * as V12__Fill_the_counter_tables: {@link db.callback.KeepLandedMigrationNames} renames such history rows.
 */
public class V12__Recount_tallies extends BaseJavaMigration {

    @Override
    public void migrate(Context context) {
        // superseded by V16
    }
}
