package io.dealflow.analytics.projection;

import io.dealflow.analytics.funnel.FunnelFilter;
import io.dealflow.analytics.funnel.FunnelQuery;
import io.dealflow.analytics.funnel.FunnelReport;
import io.dealflow.analytics.funnel.TallyRows;
import io.dealflow.analytics.projection.DecodedEvent;
import io.dealflow.analytics.tally.BucketCounts;
import io.dealflow.analytics.tally.DurationSketch;
import io.dealflow.events.v1.DealCreated;
import io.dealflow.events.v1.DealMovedToStage;
import io.dealflow.events.v1.DealWon;
import io.dealflow.events.v1.EventTypes;
import io.dealflow.events.v1.Money;
import io.dealflow.events.v1.PipelineDefined;
import io.dealflow.events.v1.StageInfo;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The projection remembers the ids of the counter cells. Here another instance rebuilds the read model (empties it
 * and applies the topic again, so every cell gets a new id) behind the first instance's back; the first instance's
 * next batch must still land on the right counters: they equal the funnel read from the deal tables.
 */
class RememberedCellIdsTest {

    private static final StageInfo LEAD = new StageInfo("lead", "Lead", 0, 10, "AWARENESS");
    private static final StageInfo DEMO = new StageInfo("demo", "Demo", 1, 50, "CONSIDERATION");
    private static final Instant T0 = Instant.parse("2026-10-01T09:00:00Z");

    @Test
    void countersStayRightAfterAnotherInstanceRebuiltTheReadModel() throws SQLException {
        JdbcDataSource dataSource = migratedDatabase();
        FunnelProjection first = new FunnelProjection(dataSource, new io.dealflow.analytics.generation.SchemaSelection());
        FunnelProjection second = new FunnelProjection(dataSource, new io.dealflow.analytics.generation.SchemaSelection());

        List<FunnelProjection.Delivery> history = new ArrayList<>(List.of(pipeline()));
        for (int i = 0; i < 3; i++) {
            history.add(created("d" + i, "ann"));
            history.add(moved("d" + i));
        }
        first.apply(history);
        long cellsBefore = count(dataSource, "select min(cell_id) from tally");

        second.truncate();
        second.apply(history);
        assertEquals(true, count(dataSource, "select min(cell_id) from tally") > cellsBefore,
                "the rebuild gave the cells new ids, so the first instance's remembered ids point at nothing");

        // the first instance goes on: d0 is won, d3 is new (cells it remembers, all gone, and one it never saw)
        first.apply(List.of(won("d0"), created("d3", "bob")));

        FunnelQuery query = new FunnelQuery(dataSource, new TallyRows());
        FunnelReport fromCounters = query.funnel(new FunnelFilter("p", null, null, null, null));
        // the funnel at an instant after every event comes from the stage visits, not from the counters
        FunnelReport fromDeals = query.funnelAt(new FunnelFilter("p", null, null, null, null), Instant.parse("2100-01-01T00:00:00Z"));
        assertEquals(new FunnelReport.Totals(4, 3, 1, 0, 1.0), fromCounters.totals());
        assertEquals(fromDeals.stages(), fromCounters.stages());
        assertEquals(fromDeals.totals(), fromCounters.totals());
        assertEquals(new FunnelReport.Totals(3, 2, 1, 0, 1.0), query.funnel(new FunnelFilter("p", null, null, "ann", null)).totals());
        assertEquals(0, count(dataSource, "select count(*) from tally_key t where not exists (select 1 from tally_group g"
                + " where t.cell_id >= g.group_id * 4294967296 and t.cell_id < (g.group_id + 1) * 4294967296)"), "no counter without its group");
        assertEquals(count(dataSource, "select count(*) from tally"), count(dataSource, "select count(*) from tally_key t join tally c on c.cell_id = t.cell_id"),
                "every count has its keys");
    }

    @Test
    void oneInstanceKeepsOneRowPerGroupAndCounter() throws SQLException {
        JdbcDataSource dataSource = migratedDatabase();
        FunnelProjection projection = new FunnelProjection(dataSource, new io.dealflow.analytics.generation.SchemaSelection());
        projection.apply(List.of(pipeline(), created("d0", "ann"), moved("d0")));
        // new groups with several new counters each (bob's slice), and new counters in groups that have rows (d0 won)
        projection.apply(List.of(created("d1", "bob"), moved("d1"), won("d0")));
        projection.apply(List.of(won("d1"), created("d2", "bob")));

        assertEquals(count(dataSource, "select count(distinct (pipeline_id, slice, metric)) from tally_group"),
                count(dataSource, "select count(*) from tally_group"), "one row per group");
        assertEquals(count(dataSource, "select count(distinct (g.pipeline_id, g.slice, g.metric, k.k1, k.k2, k.k3, k.k4)) from tally_key k"
                        + " join tally_group g on k.cell_id >= g.group_id * 4294967296 and k.cell_id < (g.group_id + 1) * 4294967296"),
                count(dataSource, "select count(*) from tally_key"), "one row per counter");
        assertEquals(new FunnelReport.Totals(2, 1, 1, 0, 1.0), new FunnelQuery(dataSource, new TallyRows()).funnel(new FunnelFilter("p", null, null, "bob", null))
                .totals());
    }

    @Test
    void aCounterCreatedTwiceAddsUp() throws SQLException {
        JdbcDataSource dataSource = migratedDatabase();
        FunnelProjection projection = new FunnelProjection(dataSource, new io.dealflow.analytics.generation.SchemaSelection());
        projection.apply(List.of(pipeline(), created("d0", "ann"), moved("d0"), created("d1", "ann"), moved("d1")));
        // a reader that remembers the counter's first row from before the second appeared
        TallyRows remembering = new TallyRows();
        FunnelFilter all = new FunnelFilter("p", null, null, null, null);
        assertEquals(new FunnelReport.Totals(2, 2, 0, 0, null), new FunnelQuery(dataSource, remembering).funnel(all).totals());

        // what two instances leave behind when both create the 'reach' counter of d2 at the same moment: a second group
        // row for the same metric, holding the same key
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("insert into tally_group (group_id, pipeline_id, slice, metric) values (1000, 'p', '*', 'reach')");
            s.execute("insert into tally_key (cell_id, k1, k2, k3, k4) select 1000 * 4294967296 + 1, k1, k2, k3, k4 from tally_key"
                    + " where cell_id = (select min(k.cell_id) from tally_key k join tally_group g on k.cell_id >= g.group_id * 4294967296"
                    + " and k.cell_id < (g.group_id + 1) * 4294967296 where g.slice = '*' and g.metric = 'reach')");
            s.execute("insert into tally (cell_id, n, amount) values (1000 * 4294967296 + 1, 1, 0)");
        }
        FunnelQuery query = new FunnelQuery(dataSource, new TallyRows());
        assertEquals(new FunnelReport.Totals(3, 3, 0, 0, null), query.funnel(all).totals(), "two deals counted in one row, the third in the other");
        FunnelReport again = new FunnelQuery(dataSource, remembering).funnel(all);
        assertEquals(new FunnelReport.Totals(3, 3, 0, 0, null), again.totals(), "the reader that remembered the first row adds the second to it");
        assertEquals(query.funnel(all).stages(), again.stages());
        try (Connection c = dataSource.getConnection()) {
            List<TallyRows.Row> reach = remembering.read(c, all, "reach");
            assertEquals(List.of(3L), reach.stream().map(TallyRows.Row::n).toList(), "one row for the counter, its two rows added up: " + reach);
        }
    }

    @Test
    void aTimeCounterCreatedTwiceAddsItsBucketsUp() throws SQLException {
        JdbcDataSource dataSource = migratedDatabase();
        FunnelProjection projection = new FunnelProjection(dataSource, new io.dealflow.analytics.generation.SchemaSelection());
        projection.apply(List.of(pipeline(), created("d0", "ann"), moved("d0")));
        // a second row for the whole pipeline's time in Lead, as another instance creating it at the same moment leaves
        // it, holding one stay of 10 h; d0 stayed 1 h
        BucketCounts tenHours = new BucketCounts();
        tenHours.add(DurationSketch.bucket(36_000), 1);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             var insert = c.prepareStatement("insert into tally (cell_id, n, amount, buckets) values (1000 * 4294967296 + 1, 1, 36000, ?)")) {
            s.execute("insert into tally_group (group_id, pipeline_id, slice, metric) values (1000, 'p', '*', 'time')");
            s.execute("insert into tally_key (cell_id, k1, k2, k3, k4) values (1000 * 4294967296 + 1, 'lead', '', '', '')");
            insert.setBytes(1, tenHours.encode());
            insert.executeUpdate();
        }
        FunnelFilter all = new FunnelFilter("p", null, null, null, null);
        FunnelReport.TimeInStage lead = new FunnelQuery(dataSource, new TallyRows()).funnel(all).stages().get(0).timeInStageHours();
        assertEquals(2, lead.visits());
        assertEquals(5.5, lead.mean());
        assertEquals(1.0, lead.median(), 1.0 * DurationSketch.RELATIVE_ACCURACY);
        assertEquals(10.0, lead.p90(), 10.0 * DurationSketch.RELATIVE_ACCURACY);

        // the projection reads its stored buckets, adds d1's stay of 1 h and writes them back to the row it remembers
        projection.apply(List.of(created("d1", "bob"), moved("d1")));
        lead = new FunnelQuery(dataSource, new TallyRows()).funnel(all).stages().get(0).timeInStageHours();
        assertEquals(3, lead.visits());
        assertEquals(4.0, lead.mean());
        assertEquals(1.0, lead.median(), 1.0 * DurationSketch.RELATIVE_ACCURACY, "two stays of 1 h, one of 10 h");
        assertEquals(10.0, lead.p90(), 10.0 * DurationSketch.RELATIVE_ACCURACY);
        assertEquals(2, count(dataSource, "select n from tally t join tally_key k on k.cell_id = t.cell_id join tally_group g"
                + " on g.group_id = t.cell_id / 4294967296 where g.slice = '*' and g.metric = 'time' and g.group_id <> 1000"), "the remembered row");
    }

    @Test
    void aCounterRowBackAtZeroDealsStillCountsItsAmount() throws SQLException {
        JdbcDataSource dataSource = migratedDatabase();
        FunnelProjection projection = new FunnelProjection(dataSource, new io.dealflow.analytics.generation.SchemaSelection());
        projection.apply(List.of(pipeline(), created("d0", "ann"), moved("d0"), won("d0")));

        // two rows for the won-EUR counter, as two consumer threads that created it at once leave them: deal A (100.00)
        // counted in the first row, deal B (200.00) in the second; later B moved on and was taken away from the first
        // row, the one the projection remembered. Together: one won deal of 100.00; the first row alone has no deals
        // but -100.00.
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            long cell = count(dataSource, "select min(k.cell_id) from tally_key k join tally_group g on k.cell_id >= g.group_id * 4294967296"
                    + " and k.cell_id < (g.group_id + 1) * 4294967296 where g.slice = '*' and g.metric = 'status' and k.k1 = 'WON'");
            s.execute("update tally set n = 0, amount = -100.00 where cell_id = " + cell);
            s.execute("insert into tally_group (group_id, pipeline_id, slice, metric) values (1000, 'p', '*', 'status')");
            s.execute("insert into tally_key (cell_id, k1, k2, k3, k4) select 1000 * 4294967296 + 1, k1, k2, k3, k4 from tally_key where cell_id = " + cell);
            s.execute("insert into tally (cell_id, n, amount) values (1000 * 4294967296 + 1, 1, 200.00)");
        }
        var eur = new io.dealflow.analytics.journey.VelocityQuery(dataSource, new TallyRows()).velocity(new FunnelFilter("p", null, null, null, null), null)
                .total().currencies().get(0);
        assertEquals(1, eur.wonDeals());
        assertEquals("100.00", eur.averageWonSize(), "the row with no deals left still carries -100.00 of the amount");
    }

    private static JdbcDataSource migratedDatabase() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:cells-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/read-model").load().migrate();
        return dataSource;
    }

    private static long count(JdbcDataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static FunnelProjection.Delivery pipeline() {
        List<PipelineDefined.PipelineStage> stages = List.of(new PipelineDefined.PipelineStage("lead", "Lead", 0, 10, "AWARENESS", null),
                new PipelineDefined.PipelineStage("demo", "Demo", 1, 50, "CONSIDERATION", null));
        return delivery(EventTypes.PIPELINE_DEFINED, "p", 0, T0, new PipelineDefined("p", "P", stages, List.of("Price"), T0, "test"));
    }

    private static FunnelProjection.Delivery created(String deal, String owner) {
        return delivery(EventTypes.DEAL_CREATED, deal, 0, T0, new DealCreated(deal, "p", "Deal " + deal, new Money("100.00", "EUR"), owner,
                "web", LocalDate.parse("2026-12-01"), null, null, LEAD, T0, "test"));
    }

    private static FunnelProjection.Delivery moved(String deal) {
        Instant at = T0.plusSeconds(3600);
        return delivery(EventTypes.DEAL_MOVED_TO_STAGE, deal, 1, at, new DealMovedToStage(deal, "p", LEAD, DEMO, at, "test"));
    }

    private static FunnelProjection.Delivery won(String deal) {
        Instant at = T0.plusSeconds(7200);
        return delivery(EventTypes.DEAL_WON, deal, 2, at, new DealWon(deal, "p", DEMO, new Money("100.00", "EUR"), at, "test"));
    }

    private static FunnelProjection.Delivery delivery(String type, String subject, long seq, Instant time, Object payload) {
        return new FunnelProjection.Delivery(FunnelProjection.FROM_STORE, -1, new DecodedEvent.Known(type, subject, seq, time, payload));
    }
}
