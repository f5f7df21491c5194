package io.dealflow.pipeline.deal.aggregate;

import io.dealflow.pipeline.deal.ActivityKind;
import io.dealflow.pipeline.deal.ActivityLogged;
import io.dealflow.pipeline.deal.CreateDeal;
import io.dealflow.pipeline.deal.DealCreated;
import io.dealflow.pipeline.deal.DealFields;
import io.dealflow.pipeline.deal.DealLost;
import io.dealflow.pipeline.deal.DealMovedToStage;
import io.dealflow.pipeline.deal.DealReopened;
import io.dealflow.pipeline.deal.DealStatus;
import io.dealflow.pipeline.deal.DealUpdated;
import io.dealflow.pipeline.deal.DealWon;
import io.dealflow.pipeline.deal.FieldChange;
import io.dealflow.pipeline.deal.LogActivity;
import io.dealflow.pipeline.deal.LoseDeal;
import io.dealflow.pipeline.deal.Money;
import io.dealflow.pipeline.deal.MoveDealToStage;
import io.dealflow.pipeline.deal.ReopenDeal;
import io.dealflow.pipeline.deal.StageSnapshot;
import io.dealflow.pipeline.deal.UpdateDeal;
import io.dealflow.pipeline.deal.WinDeal;
import io.dealflow.pipeline.pipeline.Phase;
import io.dealflow.pipeline.pipeline.PipelineView;
import io.dealflow.pipeline.pipeline.Pipelines;
import io.dealflow.pipeline.pipeline.Stage;
import io.dealflow.pipeline.rules.Rule;
import io.dealflow.pipeline.rules.RuleBroken;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.matchers.Matchers;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DealAggregateTest {

    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    private static final PipelineView PIPELINE = new PipelineView("default", "New business", List.of(
            new Stage("lead", "Lead", 10, Phase.AWARENESS, 7),
            new Stage("qualified", "Qualified", 20, Phase.INTEREST, 14),
            new Stage("proposal", "Proposal", 60, Phase.DECISION, null)),
            List.of("Price", "Timing"), 0);
    private static final StageSnapshot LEAD = new StageSnapshot("lead", "Lead", 0, 10, Phase.AWARENESS);
    private static final StageSnapshot QUALIFIED = new StageSnapshot("qualified", "Qualified", 1, 20, Phase.INTEREST);
    private static final Money EUR_1200 = Money.of(new BigDecimal("1200.00"), "EUR");

    private AggregateTestFixture<Deal> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Deal.class);
        Pipelines pipelines = id -> id.equals("default") ? Optional.of(PIPELINE) : Optional.empty();
        fixture.registerInjectableResource(pipelines);
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private DealCreated created() {
        return new DealCreated("d1", "default", "ACME", EUR_1200, "alice", "web", LocalDate.parse("2027-01-31"),
                "ACME", "Jane", LEAD, NOW);
    }

    private CreateDeal create(String title, String stageId) {
        return new CreateDeal("d1", "default", stageId, title, EUR_1200, "alice", "web", LocalDate.parse("2027-01-31"), "ACME", "Jane");
    }

    @Test
    void createsADealInTheFirstStageByDefault() {
        fixture.givenNoPriorActivity().when(create("ACME", null)).expectEvents(created());
    }

    @Test
    void createsADealInAChosenStage() {
        fixture.givenNoPriorActivity().when(create("ACME", "qualified")).expectSuccessfulHandlerExecution()
                .expectEventsMatching(Matchers.payloadsMatching(Matchers.exactSequenceOf(
                        Matchers.matches(e -> ((DealCreated) e).stage().equals(QUALIFIED)))));
    }

    /** The command is refused for breaking this rule (not merely some rule) and nothing is stored. */
    private static Matcher<Object> broken(Rule expected) {
        return Matchers.matches(e -> e instanceof RuleBroken b && b.rule() == expected);
    }

    private static final DealWon WON = new DealWon("d1", "default", LEAD, EUR_1200, NOW);
    private static final DealLost LOST = new DealLost("d1", "default", LEAD, "Price", null, NOW);

    private static UpdateDeal update(String field, DealFields fields) {
        return new UpdateDeal("d1", java.util.Set.of(field), fields, null);
    }

    @Test
    void aBlankTitleIsRefused() {
        fixture.givenNoPriorActivity().when(create("  ", null)).expectException(broken(Rule.INVALID_INPUT))
                .expectExceptionMessage("title must be 1–200 characters").expectNoEvents();
    }

    @Test
    void aTitleOver200CharactersIsRefused() {
        fixture.givenNoPriorActivity().when(create("x".repeat(201), null)).expectException(broken(Rule.INVALID_INPUT))
                .expectExceptionMessage("title must be 1–200 characters").expectNoEvents();
    }

    @Test
    void aTitleOfExactly200CharactersIsTaken() {
        fixture.givenNoPriorActivity().when(create("x".repeat(200), null)).expectSuccessfulHandlerExecution();
    }

    @Test
    void aStageOfAnotherPipelineIsRefused() {
        fixture.givenNoPriorActivity().when(create("ACME", "won-somewhere-else")).expectException(broken(Rule.UNKNOWN_STAGE))
                .expectExceptionMessage("Stage 'won-somewhere-else' is not a stage of pipeline default").expectNoEvents();
    }

    @Test
    void anUnknownPipelineIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new CreateDeal("d1", "renewals", null, "ACME", EUR_1200, null, null, null, null, null))
                .expectException(broken(Rule.PIPELINE_NOT_FOUND)).expectNoEvents();
    }

    @Test
    void aDealWithoutAnAmountIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new CreateDeal("d1", "default", null, "ACME", null, null, null, null, null, null))
                .expectException(broken(Rule.INVALID_AMOUNT)).expectNoEvents();
    }

    @Test
    void movesForwardAndBack() {
        fixture.given(created())
                .when(new MoveDealToStage("d1", "qualified", null))
                .expectEvents(new DealMovedToStage("d1", "default", LEAD, QUALIFIED, NOW));
        fixture.given(created(), new DealMovedToStage("d1", "default", LEAD, QUALIFIED, NOW))
                .when(new MoveDealToStage("d1", "lead", null))
                .expectEvents(new DealMovedToStage("d1", "default", QUALIFIED, LEAD, NOW));
    }

    @Test
    void movingToTheCurrentStageStoresNothing() {
        fixture.given(created()).when(new MoveDealToStage("d1", "lead", null)).expectSuccessfulHandlerExecution().expectNoEvents();
    }

    @Test
    void aMoveToAnUnknownStageIsRefused() {
        fixture.given(created()).when(new MoveDealToStage("d1", "nowhere", null))
                .expectException(broken(Rule.UNKNOWN_STAGE)).expectNoEvents();
    }

    @Test
    void winsWithItsAmountAndStage() {
        fixture.given(created()).when(new WinDeal("d1", null)).expectEvents(new DealWon("d1", "default", LEAD, EUR_1200, NOW));
    }

    @Test
    void losesWithAReasonFromTheCatalogue() {
        fixture.given(created()).when(new LoseDeal("d1", "Price", "too expensive", null))
                .expectEvents(new DealLost("d1", "default", LEAD, "Price", "too expensive", NOW));
    }

    @Test
    void aLostReasonOutsideTheCatalogueIsRefused() {
        fixture.given(created()).when(new LoseDeal("d1", "Bad weather", null, null))
                .expectException(broken(Rule.UNKNOWN_LOST_REASON)).expectNoEvents();
    }

    @Test
    void aBlankLostReasonIsRefused() {
        fixture.given(created()).when(new LoseDeal("d1", " ", null, null))
                .expectException(broken(Rule.INVALID_INPUT)).expectNoEvents();
    }

    @Test
    void aLossNoteOver2000CharactersIsRefused() {
        fixture.given(created()).when(new LoseDeal("d1", "Price", "n".repeat(2001), null))
                .expectException(broken(Rule.INVALID_INPUT)).expectNoEvents();
    }

    @Test
    void aClosedDealCannotMove() {
        fixture.given(created(), WON).when(new MoveDealToStage("d1", "qualified", null))
                .expectException(broken(Rule.DEAL_CLOSED)).expectNoEvents();
    }

    @Test
    void aWonDealCannotBeWonAgain() {
        fixture.given(created(), WON).when(new WinDeal("d1", null)).expectException(broken(Rule.DEAL_CLOSED)).expectNoEvents();
    }

    @Test
    void aLostDealCannotBeLostAgain() {
        fixture.given(created(), LOST).when(new LoseDeal("d1", "Price", null, null))
                .expectException(broken(Rule.DEAL_CLOSED)).expectNoEvents();
    }

    @Test
    void aClosedDealTakesNoActivity() {
        fixture.given(created(), WON).when(new LogActivity("d1", "a1", ActivityKind.CALL, null))
                .expectException(broken(Rule.DEAL_CLOSED)).expectNoEvents();
    }

    @Test
    void aClosedDealCannotBeEdited() {
        fixture.given(created(), WON).when(update("title", new DealFields("New", null, null, null, null, null, null)))
                .expectException(broken(Rule.DEAL_CLOSED)).expectNoEvents();
    }

    @Test
    void updatesOnlyWhatChangedAndStoresNothingWithoutAChange() {
        DealFields after = new DealFields("ACME", Money.of(new BigDecimal("1500"), "EUR"), "bob", "web",
                LocalDate.parse("2027-01-31"), "ACME", "Jane");
        fixture.given(created())
                .when(new UpdateDeal("d1", java.util.Set.of("amount", "ownerId"),
                        new DealFields(null, Money.of(new BigDecimal("1500"), "EUR"), "bob", null, null, null, null), null))
                .expectEvents(new DealUpdated("d1", "default", List.of(
                        new FieldChange("amount", "1200.00 EUR", "1500.00 EUR"),
                        new FieldChange("ownerId", "alice", "bob")), after, NOW));
        fixture.given(created())
                .when(update("title", new DealFields("ACME", null, null, null, null, null, null)))
                .expectSuccessfulHandlerExecution().expectNoEvents();
    }

    @Test
    void anEditCannotBlankTheTitle() {
        fixture.given(created()).when(update("title", new DealFields(" ", null, null, null, null, null, null)))
                .expectException(broken(Rule.INVALID_INPUT)).expectNoEvents();
    }

    @Test
    void anEditCannotRemoveTheAmount() {
        fixture.given(created()).when(update("amount", new DealFields(null, null, null, null, null, null, null)))
                .expectException(broken(Rule.INVALID_AMOUNT)).expectNoEvents();
    }

    @Test
    void anOwnerOver200CharactersIsRefused() {
        fixture.given(created()).when(update("ownerId", new DealFields(null, null, "o".repeat(201), null, null, null, null)))
                .expectException(broken(Rule.INVALID_INPUT)).expectNoEvents();
    }

    @Test
    void aCloseDateOutsideTheAllowedYearsIsRefused() {
        fixture.given(created()).when(update("expectedCloseDate",
                        new DealFields(null, null, null, null, LocalDate.parse("1899-12-31"), null, null)))
                .expectException(broken(Rule.INVALID_INPUT)).expectNoEvents();
    }

    @Test
    void reopensAClosedDealIntoItsStageOrAChosenOne() {
        fixture.given(created(), LOST).when(new ReopenDeal("d1", null, null))
                .expectEvents(new DealReopened("d1", "default", DealStatus.LOST, LEAD, NOW));
        fixture.given(created(), LOST).when(new ReopenDeal("d1", "qualified", null))
                .expectEvents(new DealReopened("d1", "default", DealStatus.LOST, QUALIFIED, NOW));
        fixture.given(created(), LOST, new DealReopened("d1", "default", DealStatus.LOST, LEAD, NOW))
                .when(new MoveDealToStage("d1", "qualified", null)).expectSuccessfulHandlerExecution();
    }

    @Test
    void aReopenIntoAnUnknownStageIsRefused() {
        fixture.given(created(), LOST).when(new ReopenDeal("d1", "elsewhere", null))
                .expectException(broken(Rule.UNKNOWN_STAGE)).expectNoEvents();
    }

    @Test
    void anOpenDealCannotBeReopened() {
        fixture.given(created()).when(new ReopenDeal("d1", null, null))
                .expectException(broken(Rule.DEAL_OPEN)).expectNoEvents();
    }

    @Test
    void logsActivitiesOnOpenDeals() {
        fixture.given(created()).when(new LogActivity("d1", "a1", ActivityKind.CALL, "intro call"))
                .expectEvents(new ActivityLogged("d1", "default", "a1", ActivityKind.CALL, "intro call", NOW));
    }

    @Test
    void anActivityNoteOver2000CharactersIsRefused() {
        fixture.given(created()).when(new LogActivity("d1", "a1", ActivityKind.NOTE, "n".repeat(2001)))
                .expectException(broken(Rule.INVALID_INPUT)).expectNoEvents();
    }

    @Test
    void anActivityWithoutAKindIsRefused() {
        fixture.given(created()).when(new LogActivity("d1", "a1", null, "call"))
                .expectException(broken(Rule.INVALID_INPUT)).expectNoEvents();
    }

    @Test
    void moneyRulesAreEnforced() {
        assertEquals(Rule.INVALID_AMOUNT, assertThrows(RuleBroken.class, () -> Money.of(new BigDecimal("-1"), "EUR")).rule());
        assertEquals(Rule.INVALID_AMOUNT, assertThrows(RuleBroken.class, () -> Money.of(new BigDecimal("1.001"), "EUR")).rule());
        assertEquals(Rule.INVALID_AMOUNT, assertThrows(RuleBroken.class, () -> Money.of(new BigDecimal("1.5"), "JPY")).rule());
        assertEquals(Rule.INVALID_AMOUNT, assertThrows(RuleBroken.class, () -> Money.of(BigDecimal.ONE, "XYZ")).rule());
        assertEquals(new BigDecimal("1.500"), Money.of(new BigDecimal("1.5"), "KWD").value());
        assertEquals(new BigDecimal("12"), Money.of(new BigDecimal("12.000"), "JPY").value());
    }
}
