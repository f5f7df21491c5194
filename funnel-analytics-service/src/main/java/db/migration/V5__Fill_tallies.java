package db.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Once filled the counters of V4 for a read model built before them. V11 replaced the counter tables and V16
 * recounts everything into them, so this step has nothing left to do; it stays so that read models which applied it
 * still validate.
 */
public class V5__Fill_tallies extends BaseJavaMigration {

    @Override
    public void migrate(Context context) {
        // superseded by V16
    }
}
