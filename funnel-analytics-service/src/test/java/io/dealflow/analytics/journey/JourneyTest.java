package io.dealflow.analytics.journey;

import com.fasterxml.jackson.databind.JsonNode;
import io.dealflow.analytics.support.AnalyticsTest;
import io.dealflow.analytics.support.EventWriter;
import io.dealflow.events.v1.DealCreated;
import io.dealflow.events.v1.DealLost;
import io.dealflow.events.v1.DealMovedToStage;
import io.dealflow.events.v1.DealUpdated;
import io.dealflow.events.v1.DealWon;
import io.dealflow.events.v1.EventTypes;
import io.dealflow.events.v1.Money;
import io.dealflow.events.v1.PipelineDefined;
import io.dealflow.events.v1.StageInfo;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Forecast, waterfall and the bad inputs of the journey endpoints, on a small world whose numbers are worked by hand. */
@MicronautTest
class JourneyTest extends AnalyticsTest {

    private final String pipeline = "j-" + UUID.randomUUID().toString().substring(0, 8);
    private final StageInfo early = new StageInfo("early", "Early", 0, 20, "INTEREST");
    private final StageInfo late = new StageInfo("late", "Late", 1, 80, "DECISION");
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final LocalDate thisMonth = YearMonth.now(ZoneOffset.UTC).atDay(15);
    private String slipper;

    @BeforeAll
    void publish() {
        Instant t0 = now.minus(Duration.ofDays(20));
        try (EventWriter w = new EventWriter()) {
            w.send(EventTypes.PIPELINE_DEFINED, pipeline, 0, t0, new PipelineDefined(pipeline, "Journey", List.of(
                    new PipelineDefined.PipelineStage("early", "Early", 0, 20, "INTEREST", null),
                    new PipelineDefined.PipelineStage("late", "Late", 1, 80, "DECISION", null)), List.of("Price"), t0, "s"));
            // closed history for learning: 4 deals reached late, 2 of them won; 4 more lost early
            for (int i = 0; i < 8; i++) {
                String id = UUID.randomUUID().toString();
                w.send(EventTypes.DEAL_CREATED, id, 0, t0, created(id, early, "100.00", null, t0));
                if (i < 4) {
                    w.send(EventTypes.DEAL_MOVED_TO_STAGE, id, 1, t0.plusSeconds(60), new DealMovedToStage(id, pipeline, early, late, t0.plusSeconds(60), "u"));
                    if (i < 2) {
                        w.send(EventTypes.DEAL_WON, id, 2, t0.plusSeconds(120), new DealWon(id, pipeline, late, new Money("100.00", "EUR"), t0.plusSeconds(120), "u"));
                    } else {
                        w.send(EventTypes.DEAL_LOST, id, 2, t0.plusSeconds(120), new DealLost(id, pipeline, late, "Price", null, t0.plusSeconds(120), "u"));
                    }
                } else {
                    w.send(EventTypes.DEAL_LOST, id, 1, t0.plusSeconds(120), new DealLost(id, pipeline, early, "Price", null, t0.plusSeconds(120), "u"));
                }
            }
            // open pipeline: 1000 EUR in late closing this month, 500 EUR early closing this month, 300 USD early without date,
            // 200 EUR late overdue; one of them had its close date pushed out once
            String a = UUID.randomUUID().toString();
            w.send(EventTypes.DEAL_CREATED, a, 0, t0, created(a, early, "1000.00", thisMonth, t0));
            w.send(EventTypes.DEAL_MOVED_TO_STAGE, a, 1, t0.plusSeconds(300), new DealMovedToStage(a, pipeline, early, late, t0.plusSeconds(300), "u"));
            String b = UUID.randomUUID().toString();
            w.send(EventTypes.DEAL_CREATED, b, 0, t0, created(b, early, "500.00", thisMonth.minusDays(1), t0));
            w.send(EventTypes.DEAL_UPDATED, b, 1, t0.plusSeconds(400), new DealUpdated(b, pipeline, List.of("expectedCloseDate", "amount"),
                    "Deal", new Money("500.00", "EUR"), "o", "web", thisMonth, null, null, t0.plusSeconds(400), "u"));
            slipper = b;
            String c = UUID.randomUUID().toString();
            w.send(EventTypes.DEAL_CREATED, c, 0, t0, new DealCreated(c, pipeline, "Deal", new Money("300.00", "USD"), "o", "web",
                    null, null, null, early, t0, "u"));
            String d = UUID.randomUUID().toString();
            w.send(EventTypes.DEAL_CREATED, d, 0, t0, created(d, late, "200.00", thisMonth.minusMonths(3), t0));
        }
    }

    /**
     * Partitions are applied independently, and the 12 creations show before the moves, wins and losses do: every one of
     * those ends a stay (9 in early, 4 in late); the slip is the one update.
     */
    private void awaitEveryEvent() throws Exception {
        await("/api/v1/funnel?pipelineId=" + pipeline, r -> r.status() == 200 && r.body().get("totals").get("deals").asLong() == 12
                && r.body().get("totals").get("won").asLong() == 2 && r.body().get("totals").get("lost").asLong() == 6
                && r.body().get("stages").get(0).get("timeInStageHours").get("visits").asLong() == 9
                && r.body().get("stages").get(1).get("timeInStageHours").get("visits").asLong() == 4);
        await("/api/v1/forecast?pipelineId=" + pipeline, r -> r.status() == 200 && r.body().get("slips").get("total").asLong() == 1);
    }

    private DealCreated created(String id, StageInfo stage, String amount, LocalDate close, Instant at) {
        return new DealCreated(id, pipeline, "Deal", new Money(amount, "EUR"), "o", "web", close, null, null, stage, at, "u");
    }

    @Test
    void forecastUsesConfiguredAndLearnedProbabilitiesPerCurrencyAndMonth() throws Exception {
        awaitEveryEvent();
        JsonNode forecast = await("/api/v1/forecast?months=2&pipelineId=" + pipeline,
                r -> r.status() == 200 && r.body().get("months").get(1).get("currencies").size() == 1
                        && r.body().get("slips").get("total").asLong() == 1).body();
        // learned from the 8 closed deals: late reached by 4, won 2 → P(win|late) = 0.5; early reached by 8 → 0.25
        JsonNode stages = forecast.get("stages");
        assertEquals(0.25, stages.get(0).get("learnedProbability").asDouble(), 1e-9);
        assertEquals(0.5, stages.get(0).get("advanceRate").asDouble(), 1e-9);
        assertEquals(0.5, stages.get(1).get("learnedProbability").asDouble(), 1e-9);
        assertEquals(8, stages.get(0).get("closedDeals").asLong());

        assertEquals("OVERDUE", forecast.get("months").get(0).get("month").asText());
        JsonNode overdue = forecast.get("months").get(0).get("currencies").get(0);
        assertEquals("200.00", overdue.get("openAmount").asText());
        JsonNode current = forecast.get("months").get(1);
        assertEquals(YearMonth.now(ZoneOffset.UTC).toString(), current.get("month").asText());
        JsonNode eur = current.get("currencies").get(0);
        assertEquals("EUR", eur.get("currency").asText());
        assertEquals(2, eur.get("deals").asLong());
        assertEquals("1500.00", eur.get("openAmount").asText());
        assertEquals("900.00", eur.get("weightedAmount").asText(), "1000 × 80% + 500 × 20%");
        assertEquals("625.00", eur.get("forecastAmount").asText(), "1000 × 0.5 + 500 × 0.25");
        assertEquals("1000.00", eur.get("commitAmount").asText(), "stages at 70% or more");
        JsonNode noDate = forecast.get("months").get(forecast.get("months").size() - 1);
        assertEquals("NO_DATE", noDate.get("month").asText());
        assertEquals("USD", noDate.get("currencies").get(0).get("currency").asText(), "currencies are never mixed");
        assertEquals(slipper, forecast.get("slips").get("byDeal").get(0).get("key").asText());
        assertEquals("o", forecast.get("slips").get("byOwner").get(0).get("key").asText());
    }

    @Test
    void waterfallBalancesPerCurrencyAndStage() throws Exception {
        awaitEveryEvent();
        Instant from = now.minus(Duration.ofDays(30));
        JsonNode waterfall = get("/api/v1/waterfall?pipelineId=" + pipeline + "&from=" + from + "&to=" + now).body();
        JsonNode eur = waterfall.get("currencies").get(0);
        assertEquals("EUR", eur.get("currency").asText());
        JsonNode deals = eur.get("deals");
        assertEquals("0", deals.get("openAtStart").asText());
        assertEquals("11", deals.get("created").asText());
        assertEquals("2", deals.get("won").asText());
        assertEquals("6", deals.get("lost").asText());
        assertEquals("3", deals.get("openAtEnd").asText());
        JsonNode amounts = eur.get("amounts");
        assertEquals("2500.00", amounts.get("created").asText());
        assertEquals("1700.00", amounts.get("openAtEnd").asText());
        assertEquals("0.00", eur.get("amountUp").asText(), "the update kept the amount");
        for (JsonNode stage : waterfall.get("stages")) {
            long balance = stage.get("openAtStart").asLong() + stage.get("created").asLong() + stage.get("reopened").asLong()
                    + stage.get("movedIn").asLong() - stage.get("movedOut").asLong() - stage.get("won").asLong()
                    - stage.get("lost").asLong();
            assertEquals(stage.get("openAtEnd").asLong(), balance, "stage " + stage.get("stageId").asText() + " balances");
        }
    }

    @Test
    void backtestAndPhasesAnswerWithAsOfAndFilters() throws Exception {
        awaitEveryEvent();
        JsonNode backtest = get("/api/v1/forecast/backtest?months=3&pipelineId=" + pipeline).body();
        assertEquals(3, backtest.get("months").size());
        assertEquals(2, backtest.get("calibration").size());
        assertTrue(backtest.get("asOf") != null && !backtest.get("asOf").isNull());
        JsonNode phases = get("/api/v1/funnel/phases?pipelineId=" + pipeline).body();
        assertEquals(List.of("AWARENESS", "INTEREST", "CONSIDERATION", "DECISION"), List.of(phases.get("phases").get(0).get("phase").asText(),
                phases.get("phases").get(1).get("phase").asText(), phases.get("phases").get(2).get("phase").asText(), phases.get("phases").get(3).get("phase").asText()));
        assertEquals(pipeline, phases.get("filters").get("pipelineId").asText());
    }

    @Test
    void badParametersAreProblemJson400() throws Exception {
        String[] bad = {
                "/api/v1/forecast?months=0&pipelineId=" + pipeline,
                "/api/v1/forecast?months=many&pipelineId=" + pipeline,
                "/api/v1/forecast?commitProbability=101&pipelineId=" + pipeline,
                "/api/v1/trends?interval=fortnight&pipelineId=" + pipeline,
                "/api/v1/velocity?groupBy=colour&pipelineId=" + pipeline,
                "/api/v1/waterfall?pipelineId=" + pipeline,
                "/api/v1/waterfall?from=2026-02-01&to=2026-01-01&pipelineId=" + pipeline,
                "/api/v1/funnel?at=yesterday&pipelineId=" + pipeline,
                "/api/v1/forecast/backtest?lookbackDays=0&pipelineId=" + pipeline,
        };
        for (String path : bad) {
            Reply reply = get(path);
            assertEquals(400, reply.status(), path + " -> " + reply.body());
            assertTrue(reply.contentType().startsWith("application/problem+json"), path);
        }
        assertEquals(404, get("/api/v1/velocity?pipelineId=none-" + UUID.randomUUID()).status());
    }
}
