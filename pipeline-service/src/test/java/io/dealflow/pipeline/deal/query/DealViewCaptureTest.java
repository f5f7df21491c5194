package io.dealflow.pipeline.deal.query;

import io.dealflow.pipeline.deal.DealMovedToStage;
import io.dealflow.pipeline.deal.StageSnapshot;
import io.dealflow.pipeline.pipeline.Phase;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DealViewCaptureTest {

    private final DealViewCapture capture = new DealViewCapture();
    private final Instant created = Instant.parse("2026-11-02T09:00:00.123456Z");
    private final Instant moved = Instant.parse("2026-12-01T10:00:00.000001Z");
    private final DealView before = new DealView("d-1", "default", "Deal", new DealView.MoneyJson("10.00", "EUR"), "alice",
            null, null, null, null, "lead", "OPEN", null, null, created, created, created, null, null, 3);

    @Test
    void theAnswerIsTheViewBeforeWithTheCommandsEventsApplied() {
        Optional<DealView> after = capture.during("d-1", before, () -> capture.applied("d-1", move(), 4));

        assertThat(after).get().satisfies(view -> {
            assertThat(view.stageId()).isEqualTo("demo");
            assertThat(view.stageEnteredAt()).isEqualTo(moved);
            assertThat(view.updatedAt()).isEqualTo(moved);
            assertThat(view.version()).isEqualTo(4);
            assertThat(view.createdAt()).isEqualTo(created);
        });
    }

    @Test
    void eventsThatDoNotFollowOnFromTheViewBeforeGiveNoAnswer() {
        // version 5 after a view at 3: another instance wrote version 4 in between
        assertThat(capture.during("d-1", before, () -> capture.applied("d-1", move(), 5))).isEmpty();
        assertThat(capture.outcome("d-1", before, () -> capture.applied("d-1", move(), 5)).appended())
                .as("the command did append: it must not be taken for one that changed nothing").isTrue();
    }

    @Test
    void onlyTheCommandsOwnDealAndThreadAreCaptured() {
        assertThat(capture.during("d-1", before, () -> {
            capture.applied("d-2", move(), 4);
            capture.applied("d-1", move(), 4);
        })).get().extracting(DealView::stageId).isEqualTo("demo");
        capture.applied("d-1", move(), 5);
        assertThat(capture.during("d-1", before, () -> capture.applied("d-1", move(), 4))).get().extracting(DealView::version).isEqualTo(4L);
    }

    /**
     * A move to the stage the deal is in already changes nothing. The view read before the command may be behind the
     * store — another instance moved the deal there after it was read, which is why the command found nothing to do — so
     * it is not the answer: the row is read again as stored.
     */
    @Test
    void aCommandThatChangedNothingGivesNoAnswer() {
        assertThat(capture.during("d-1", before, () -> { })).isEmpty();
        assertThat(capture.outcome("d-1", before, () -> { }).appended()).isFalse();
        assertThat(capture.during("d-1", before, () -> capture.applied("d-2", move(), 4))).isEmpty();
    }

    private DealMovedToStage move() {
        return new DealMovedToStage("d-1", "default", new StageSnapshot("lead", "Lead", 0, 10, Phase.values()[0]),
                new StageSnapshot("demo", "Demo", 2, 40, Phase.values()[0]), moved);
    }
}
