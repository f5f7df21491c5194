package db.migration;

import io.dealflow.analytics.projection.TallyBackfill;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.Statement;

/**
 * Time travel without reading every visit: the projection now keeps, for all deals of a pipeline, how the funnel's
 * counters changed per UTC day ('changed.day:2026-07-15') and month ('changed.month:2026-07') of when each visit began or
 * ended, and the visits get indexes on those instants so the deals that changed on one day are found directly. The
 * counters are counted again with the projection's own code.
 */
public class V15__Count_funnel_changes_per_day extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("create index ix_stage_visit_entered_at on stage_visit (pipeline_id, entered_at)");
            s.execute("create index ix_stage_visit_left_at on stage_visit (pipeline_id, left_at)");
        }
        TallyBackfill.refill(c);
    }
}
