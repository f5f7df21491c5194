package io.dealflow.pipeline.pipeline;

import io.dealflow.pipeline.rules.Rule;
import io.dealflow.pipeline.rules.RuleBroken;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.axonframework.test.matchers.Matchers.matches;

class PipelineAggregateTest {

    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    private static final Stage LEAD = new Stage("lead", "Lead", 10, Phase.AWARENESS, 7);
    private static final Stage DEMO = new Stage("demo", "Demo", 40, Phase.CONSIDERATION, null);
    private AggregateTestFixture<Pipeline> fixture;
    private long dealsInDemo;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Pipeline.class);
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
        fixture.registerInjectableResource((StageOccupancy) (pipeline, stage) -> stage.equals("demo") ? dealsInDemo : 0);
    }

    private PipelineDefined defined() {
        return new PipelineDefined("renewals", "Renewals", List.of(LEAD, DEMO), List.of("Price"), NOW);
    }

    @Test
    void definesAPipeline() {
        fixture.givenNoPriorActivity().when(new DefinePipeline("renewals", "Renewals", List.of(LEAD, DEMO), List.of("Price")))
                .expectEvents(defined());
    }

    /** Every rule of a definition is refused as a validation problem with its own message, and nothing is stored. */
    private void refused(DefinePipeline command, String message) {
        fixture.givenNoPriorActivity().when(command)
                .expectException(matches(e -> e instanceof RuleBroken b && b.rule() == Rule.INVALID_INPUT))
                .expectExceptionMessage(message).expectNoEvents();
    }

    @Test
    void aPipelineIdThatIsNotLowercaseLettersDigitsOrDashesIsRefused() {
        refused(new DefinePipeline("Bad Id!", "x", List.of(LEAD), List.of()), "pipeline id must be 1–64 lowercase letters, digits or dashes");
    }

    @Test
    void aBlankPipelineNameIsRefused() {
        refused(new DefinePipeline("p", " ", List.of(LEAD), List.of()), "pipeline name must be 1–200 characters");
    }

    @Test
    void aPipelineWithoutStagesIsRefused() {
        refused(new DefinePipeline("p", "x", List.of(), List.of()), "a pipeline needs 1–50 stages");
    }

    @Test
    void aBlankLostReasonIsRefused() {
        refused(new DefinePipeline("p", "x", List.of(LEAD), List.of(" ")), "lost reasons must be at most 100 texts of 1–200 characters");
    }

    @Test
    void aStageIdThatIsNotLowercaseLettersDigitsOrDashesIsRefused() {
        refused(new DefinePipeline("p", "x", List.of(new Stage("Stage 1", "S", 10, Phase.INTEREST, null)), List.of()), "stage id must be 1–64 lowercase letters, digits or dashes");
    }

    @Test
    void aDuplicateStageIdIsRefused() {
        refused(new DefinePipeline("p", "x", List.of(LEAD, LEAD), List.of()), "duplicate stage id lead");
    }

    @Test
    void aBlankStageNameIsRefused() {
        refused(new DefinePipeline("p", "x", List.of(new Stage("s", " ", 10, Phase.INTEREST, null)), List.of()), "stage name must be 1–200 characters");
    }

    @Test
    void aProbabilityAbove100IsRefused() {
        refused(new DefinePipeline("p", "x", List.of(new Stage("s", "S", 101, Phase.INTEREST, null)), List.of()), "stage probability must be 0–100");
    }

    @Test
    void aStageWithoutAPhaseIsRefused() {
        refused(new DefinePipeline("p", "x", List.of(new Stage("s", "S", 10, null, null)), List.of()), "stage phase is required");
    }

    @Test
    void rottingDaysBelowOneAreRefused() {
        refused(new DefinePipeline("p", "x", List.of(new Stage("s", "S", 10, Phase.INTEREST, 0)), List.of()), "rottingDays must be at least 1");
    }

    @Test
    void renamingAStageKeepsItsId() {
        Stage renamed = new Stage("demo", "Product demo", 45, Phase.CONSIDERATION, 10);
        fixture.given(defined()).when(new ChangePipeline("renewals", "Renewals", List.of(LEAD, renamed), List.of("Price", "Timing"), null))
                .expectEvents(new PipelineChanged("renewals", "Renewals", List.of(LEAD, renamed), List.of("Price", "Timing"), NOW));
    }

    @Test
    void aStageThatHoldsDealsCannotBeRemoved() {
        dealsInDemo = 3;
        fixture.given(defined()).when(new ChangePipeline("renewals", "Renewals", List.of(LEAD), List.of(), null))
                .expectException(matches(e -> e instanceof RuleBroken b && b.rule() == Rule.STAGE_IN_USE
                        && Long.valueOf(3).equals(b.properties().get("deals"))))
                .expectNoEvents();
        dealsInDemo = 0;
        fixture.given(defined()).when(new ChangePipeline("renewals", "Renewals", List.of(LEAD), List.of(), null))
                .expectSuccessfulHandlerExecution();
    }
}
