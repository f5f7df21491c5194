package io.dealflow.analytics.projection;

import io.dealflow.analytics.funnel.DurationSketch;
import io.dealflow.analytics.funnel.FunnelFilter;
import io.dealflow.analytics.funnel.FunnelQuery;
import io.dealflow.analytics.funnel.FunnelReport;
import io.dealflow.analytics.funnel.TallyRows;
import io.dealflow.analytics.journey.TrendQuery;
import io.dealflow.analytics.journey.TrendReport;
import io.dealflow.analytics.journey.VelocityQuery;
import io.dealflow.analytics.journey.VelocityReport;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A read model built before the counters existed (schema V3, rows as the old projection wrote them) gets its counters
 * counted by the migrations (V16, into the tables of V11), and the funnel read from them equals the funnel read from
 * the deal tables.
 */
class TallyMigrationTest {

    @Test
    void readModelsThatAppliedV12UnderEitherLandedNameStillMigrate() throws SQLException {
        // V12 landed as "Fill the counter tables" and a release later as "Recount tallies": a read model of each must migrate
        // and validate (Flyway refuses a description that differs from the code's; KeepLandedMigrationNames renames the first)
        for (String landed : List.of("Fill the counter tables", "Recount tallies")) {
            JdbcDataSource dataSource = databaseAt("13");
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                assertEquals(1, s.executeUpdate("update flyway_schema_history set description = '" + landed + "' where version = '12'"));
            }
            Flyway.configure().dataSource(dataSource).load().migrate();
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                 var rs = s.executeQuery("select count(*) from flyway_schema_history where version = '14' and success")) {
                rs.next();
                assertEquals(1, rs.getInt(1), landed + ": V14 applied after V12");
            }
            Flyway.configure().dataSource(dataSource).load().validate();
        }
    }

    @Test
    void countersAreFilledFromAnExistingReadModel() throws SQLException {
        JdbcDataSource dataSource = databaseAt("3");
        insertThreeDeals(dataSource);

        Flyway.configure().dataSource(dataSource).load().migrate();
        // read models that applied V12 before it had nothing left to do validate only while it keeps its description
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("select description from flyway_schema_history where version = '12'")) {
            rs.next();
            assertEquals("Recount tallies", rs.getString(1));
        }

        FunnelQuery query = new FunnelQuery(dataSource, new TallyRows());
        FunnelReport fromCounters = query.funnel(new FunnelFilter("p", null, null, null, null));
        // the funnel at an instant after every event comes from the stage visits, not from the counters
        FunnelReport fromDeals = query.funnelAt(new FunnelFilter("p", null, null, null, null), Instant.parse("2100-01-01T00:00:00Z"));
        assertEquals(fromDeals.stages(), fromCounters.stages());
        assertEquals(fromDeals.totals(), fromCounters.totals());
        assertEquals(new FunnelReport.Totals(3, 1, 1, 1, 0.5), fromCounters.totals());
        FunnelReport.StageFunnel a = fromCounters.stages().get(0);
        assertEquals(3, a.entered());
        assertEquals(2, a.advanced());
        assertEquals(1, a.lost());
        assertEquals(3, a.timeInStageHours().visits());
        FunnelReport ann = query.funnel(new FunnelFilter("p", null, null, "ann", null));
        assertEquals(new FunnelReport.Totals(2, 1, 1, 0, 1.0), ann.totals());

        // the creation-month slices (V10, counted by V16) answer a whole-month window like the deal tables answer the same deals
        FunnelReport days = query.funnel(new FunnelFilter("p", Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"), null, null));
        FunnelReport sameDeals = query.funnel(new FunnelFilter("p", Instant.parse("2026-10-31T23:59:59Z"), Instant.parse("2026-11-01T00:00:01Z"), null, null));
        assertEquals(sameDeals.stages(), days.stages());
        assertEquals(new FunnelReport.Totals(3, 1, 1, 1, 0.5), days.totals());

        // the trend and velocity counters (V7, counted by V16) are filled too
        FunnelFilter all = new FunnelFilter("p", null, null, null, null);
        FunnelFilter window = new FunnelFilter("p", Instant.parse("2000-01-01T00:00:00Z"), null, null, null);
        TrendQuery trends = new TrendQuery(dataSource, new TallyRows());
        assertEquals(List.of(new TrendReport.Cohort("2026-11", 3, 1, 1, 1, 0.3333)), trends.trends(all, "month").cohorts());
        assertEquals(trends.trends(window, "week").cohorts(), trends.trends(all, "week").cohorts());
        VelocityQuery velocity = new VelocityQuery(dataSource, new TallyRows());
        VelocityReport fromVelocityCounters = velocity.velocity(all, "source");
        VelocityReport fromVelocityDeals = velocity.velocity(window, "source");
        assertEquals(fromVelocityDeals.total(), fromVelocityCounters.total());
        assertEquals(fromVelocityDeals.groups(), fromVelocityCounters.groups());
        assertEquals(List.of(new VelocityReport.ReasonCount("Price", 1)), fromVelocityCounters.lostReasons());
        assertEquals(2.0, fromVelocityCounters.total().averageCycleDays());
    }

    @Test
    void countersOfTheReleaseBeforeAreCountedAgainInOneRowPerStageOrStatus() throws SQLException {
        JdbcDataSource dataSource = databaseAt("3");
        insertThreeDeals(dataSource);
        Flyway.configure().dataSource(dataSource).target("15").load().migrate();
        // what the release before V16 stored for a stay: one counter per duration bucket ('time', k1 = stage, k2 = bucket)
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("insert into tally_group values (1, 'p', '*', 'time')");
            s.execute("insert into tally_key values (4294967297, 'a', '" + DurationSketch.bucket(18000) + "', '', '')");
            s.execute("insert into tally values (4294967297, 1, 18000)");
        }
        FunnelFilter all = new FunnelFilter("p", null, null, null, null);
        FunnelReport fromVisits = new FunnelQuery(dataSource, new TallyRows()).funnelAt(all, Instant.parse("2100-01-01T00:00:00Z"));

        Flyway.configure().dataSource(dataSource).load().migrate();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("select count(*) from tally_key where k2 = '" + DurationSketch.bucket(18000) + "'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "no counter per bucket is left");
        }
        FunnelReport fromCounters = new FunnelQuery(dataSource, new TallyRows()).funnel(all);
        assertEquals(fromVisits.stages(), fromCounters.stages());
        assertEquals(3, fromCounters.stages().get(0).timeInStageHours().visits());
        assertEquals(5.0, fromCounters.stages().get(0).timeInStageHours().median(), 5.0 * DurationSketch.RELATIVE_ACCURACY);
        assertEquals(24.0, fromCounters.stages().get(0).timeInStageHours().p90(), 24.0 * DurationSketch.RELATIVE_ACCURACY);
        assertEquals(2.0, new VelocityQuery(dataSource, new TallyRows()).velocity(all, "source").total().medianCycleDays(),
                2.0 * DurationSketch.RELATIVE_ACCURACY);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("select count(*) from tally t join tally_key k on k.cell_id = t.cell_id where t.buckets is not null")) {
            rs.next();
            // 'time': a and b for all deals and the creation month (4), ann a and b, bob a (3), web a, event a and b (3);
            // 'cycle' of the one won deal: all deals, ann, event (3); 'cohort' per status: all deals (3), ann (2), bob (1),
            // web (2), event (1)
            assertEquals(13 + 9, rs.getInt(1), "one row of buckets per stage (or status) and slice");
        }
    }

    /** An empty read model migrated up to the version given. */
    private static JdbcDataSource databaseAt(String version) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:migration-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(dataSource).target(version).load().migrate();
        return dataSource;
    }

    /** A read model of schema V3 as the old projection wrote it: d1 a → b, still open; d2 lost in a after 2 h; d3 a → b → won. */
    private static void insertThreeDeals(JdbcDataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("insert into pipeline_state values ('p', 'P', 0)");
                s.execute("insert into pipeline_stage values ('p', 'a', 'A', 0, 10, 'AWARENESS'), ('p', 'b', 'B', 1, 50, 'CONSIDERATION')");
                // d1: a → b, still open; d2: lost in a after 2 h; d3: a → b → won
                s.execute("""
                        insert into deal (deal_id, pipeline_id, status, stage_id, stage_position, max_position, owner_id, source, amount,
                            currency, expected_close, created_at, closed_at, lost_reason, last_seq, stage_probability, created_month,
                            created_week, won_cycle_seconds, close_slips) values
                        ('d1', 'p', 'OPEN', 'b', 1, 1, 'ann', 'web', 100, 'EUR', date '2026-12-15', timestamp with time zone '2026-11-01 00:00:00Z', null, null, 1, 50, '2026-11', '2026-W44', null, 1),
                        ('d2', 'p', 'LOST', 'a', 0, 0, 'bob', 'web', 200, 'EUR', null, timestamp with time zone '2026-11-01 00:00:00Z', timestamp with time zone '2026-11-01 02:00:00Z', 'Price', 1, 10, '2026-11', '2026-W44', null, 0),
                        ('d3', 'p', 'WON', 'b', 1, 1, 'ann', 'event', 300, 'USD', null, timestamp with time zone '2026-11-01 00:00:00Z', timestamp with time zone '2026-11-03 00:00:00Z', null, 2, 50, '2026-11', '2026-W44', 172800, 0)""");
                s.execute("""
                        insert into deal_stage values ('d1', 'p', 'a', 0, true, false), ('d1', 'p', 'b', 1, false, false),
                            ('d2', 'p', 'a', 0, false, true), ('d3', 'p', 'a', 0, true, false), ('d3', 'p', 'b', 1, true, false)""");
                s.execute("""
                        insert into deal_phase values ('d1', 'p', 'AWARENESS', 0, true, false), ('d1', 'p', 'CONSIDERATION', 2, false, false),
                            ('d2', 'p', 'AWARENESS', 0, false, true), ('d3', 'p', 'AWARENESS', 0, true, false), ('d3', 'p', 'CONSIDERATION', 2, true, false)""");
                s.execute("""
                        insert into stage_visit (deal_id, seq, pipeline_id, stage_id, entered_at, left_at, duration_seconds, ended_by, position, phase, probability) values
                        ('d1', 0, 'p', 'a', timestamp with time zone '2026-11-01 00:00:00Z', timestamp with time zone '2026-11-01 05:00:00Z', 18000, 'MOVE', 0, 'AWARENESS', 10),
                        ('d1', 1, 'p', 'b', timestamp with time zone '2026-11-01 05:00:00Z', null, null, null, 1, 'CONSIDERATION', 50),
                        ('d2', 0, 'p', 'a', timestamp with time zone '2026-11-01 00:00:00Z', timestamp with time zone '2026-11-01 02:00:00Z', 7200, 'LOST', 0, 'AWARENESS', 10),
                        ('d3', 0, 'p', 'a', timestamp with time zone '2026-11-01 00:00:00Z', timestamp with time zone '2026-11-02 00:00:00Z', 86400, 'MOVE', 0, 'AWARENESS', 10),
                        ('d3', 1, 'p', 'b', timestamp with time zone '2026-11-02 00:00:00Z', timestamp with time zone '2026-11-03 00:00:00Z', 86400, 'WON', 1, 'CONSIDERATION', 50)""");
            }
    }
}
