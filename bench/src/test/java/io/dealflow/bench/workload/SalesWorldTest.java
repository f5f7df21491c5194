package io.dealflow.bench.workload;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SalesWorldTest {

    private static final Instant END = Instant.parse("2026-11-01T00:00:00Z");

    @Test
    void theSameSeedGivesTheSameWorld() {
        assertEquals(SalesWorld.lastSixMonths(7, END).deals(200), SalesWorld.lastSixMonths(7, END).deals(200));
        assertNotEquals(SalesWorld.lastSixMonths(7, END).deals(50), SalesWorld.lastSixMonths(8, END).deals(50));
    }

    @Test
    void theWorldHasAllOutcomesDropOffAndTimeSpread() {
        List<DealPlan> deals = SalesWorld.lastSixMonths(7, END).deals(2000);
        long won = deals.stream().filter(d -> d.steps().stream().anyMatch(s -> s instanceof DealPlan.Win)).count();
        long lost = deals.stream().filter(d -> d.steps().stream().anyMatch(s -> s instanceof DealPlan.Lose)).count();
        long open = deals.size() - won - lost;
        assertTrue(won > 50 && lost > 300 && open > 100, won + "/" + lost + "/" + open);
        long reachedDemo = deals.stream().filter(d -> d.steps().stream().anyMatch(s -> s instanceof DealPlan.Move m && m.stageId().equals("demo"))).count();
        long reachedNegotiation = deals.stream().filter(d -> d.steps().stream().anyMatch(s -> s instanceof DealPlan.Move m && m.stageId().equals("negotiation"))).count();
        assertTrue(reachedDemo > reachedNegotiation, "fewer deals get further down the funnel");
        assertTrue(deals.stream().anyMatch(d -> d.steps().stream().anyMatch(s -> s instanceof DealPlan.Activity)));
        Instant first = deals.stream().map(DealPlan::createdAt).min(Instant::compareTo).orElseThrow();
        Instant last = deals.stream().map(DealPlan::createdAt).max(Instant::compareTo).orElseThrow();
        assertTrue(java.time.Duration.between(first, last).toDays() > 150, "creation spread over months");
        for (DealPlan deal : deals) {
            Instant previous = deal.createdAt();
            for (DealPlan.Step step : deal.steps()) {
                assertTrue(!step.at().isBefore(previous), "steps are in time order");
                previous = step.at();
            }
            assertTrue(deal.amount().signum() > 0);
        }
    }
}
