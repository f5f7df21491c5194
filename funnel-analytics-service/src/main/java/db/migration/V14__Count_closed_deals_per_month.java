package db.migration;

import io.dealflow.analytics.projection.TallyBackfill;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Counts every counter again, with the projection's own code, now that the closed deals ('*' slice) are counted per
 * month ('closed.month': k1 = closing month, k2 = status, k3 = furthest stage position) and per day in one group per
 * month ('closed:2026-07': k1 = closing day, same k2 and k3) instead of per day in one group ('closed'): the learned
 * probabilities read the whole months of their look-back and the days of the months it cuts.
 */
public class V14__Count_closed_deals_per_month extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        TallyBackfill.refill(context.getConnection());
    }
}
