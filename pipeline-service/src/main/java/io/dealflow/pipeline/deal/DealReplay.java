package io.dealflow.pipeline.deal;

import io.dealflow.pipeline.pipeline.Pipelines;
import io.dealflow.pipeline.web.ProblemException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs a deal's recorded history through the aggregate's own decisions, each step at the instant it happened:
 * an imported history obeys exactly the rules a live deal does and yields the events live commands would have.
 */
public final class DealReplay {

    /** One step of a history: a command of this package and when it happened. */
    public record Step(Object command, Instant at) {
    }

    /** The events of the history, in order (sequence 0 first), and the deal as the seller's view shows it after them. */
    public record Replayed(List<Object> events, DealView view) {
    }

    /** A step the rules refuse; {@code step} counts from 0 (the creation). */
    public static final class Refused extends RuntimeException {
        private final int step;

        Refused(int step, String reason) {
            super(reason, null, false, false);
            this.step = step;
        }

        public int step() {
            return step;
        }
    }

    private final Pipelines pipelines;

    public DealReplay(Pipelines pipelines) {
        this.pipelines = pipelines;
    }

    public Replayed replay(CreateDeal creation, Instant createdAt, List<Step> steps) {
        List<Object> events = new ArrayList<>(steps.size() + 1);
        Deal deal = new Deal();
        DealCreated created = decide(0, () -> Deal.created(creation, pipelines, createdAt));
        deal.on(created);
        events.add(created);
        ViewFold view = new ViewFold(created);
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            Object event = decide(i + 1, () -> decideOne(deal, step));
            if (event == null) {
                continue;
            }
            evolve(deal, event);
            view.apply(event, events.size());
            events.add(event);
        }
        return new Replayed(events, view.view());
    }

    private Object decideOne(Deal deal, Step step) {
        Instant at = step.at();
        Object command = step.command();
        if (command instanceof MoveDealToStage move) {
            return deal.moved(move, pipelines, at);
        } else if (command instanceof UpdateDeal update) {
            return deal.updated(update, at);
        } else if (command instanceof WinDeal) {
            return deal.won(at);
        } else if (command instanceof LoseDeal lose) {
            return deal.lost(lose, pipelines, at);
        } else if (command instanceof ReopenDeal reopen) {
            return deal.reopened(reopen, pipelines, at);
        } else if (command instanceof LogActivity activity) {
            return deal.activityLogged(activity, at);
        }
        throw new IllegalArgumentException("not a deal command: " + command);
    }

    private static void evolve(Deal deal, Object event) {
        if (event instanceof DealMovedToStage e) {
            deal.on(e);
        } else if (event instanceof DealUpdated e) {
            deal.on(e);
        } else if (event instanceof DealWon e) {
            deal.on(e);
        } else if (event instanceof DealLost e) {
            deal.on(e);
        } else if (event instanceof DealReopened e) {
            deal.on(e);
        }
    }

    private static <T> T decide(int step, Supplier<T> decision) {
        try {
            return decision.get();
        } catch (ProblemException e) {
            throw new Refused(step, e.getMessage());
        }
    }

    /** The deal_view row after the events, as {@link DealViewProjection} would leave it event by event. */
    private static final class ViewFold {
        private DealView v;

        ViewFold(DealCreated e) {
            v = new DealView(e.dealId(), e.pipelineId(), e.title(), DealViews.money(e.amount().value(), e.amount().currency()),
                    e.ownerId(), e.source(), e.expectedCloseDate(), e.company(), e.contact(), e.stage().id(), "OPEN",
                    null, null, e.occurredAt(), e.occurredAt(), e.occurredAt(), null, null, 0);
        }

        void apply(Object event, long version) {
            if (event instanceof DealMovedToStage e) {
                v = new DealView(v.dealId(), v.pipelineId(), v.title(), v.amount(), v.ownerId(), v.source(),
                        v.expectedCloseDate(), v.company(), v.contact(), e.to().id(), v.status(), v.lostReason(), v.lostNote(),
                        v.createdAt(), e.occurredAt(), e.occurredAt(), v.lastActivityAt(), v.closedAt(), version);
            } else if (event instanceof DealWon e) {
                v = closed("WON", null, null, e.occurredAt(), version);
            } else if (event instanceof DealLost e) {
                v = closed("LOST", e.reason(), e.note(), e.occurredAt(), version);
            } else if (event instanceof DealUpdated e) {
                DealFields f = e.fields();
                v = new DealView(v.dealId(), v.pipelineId(), f.title(), DealViews.money(f.amount().value(), f.amount().currency()),
                        f.ownerId(), f.source(), f.expectedCloseDate(), f.company(), f.contact(), v.stageId(), v.status(),
                        v.lostReason(), v.lostNote(), v.createdAt(), e.occurredAt(), v.stageEnteredAt(), v.lastActivityAt(),
                        v.closedAt(), version);
            } else if (event instanceof DealReopened e) {
                v = new DealView(v.dealId(), v.pipelineId(), v.title(), v.amount(), v.ownerId(), v.source(),
                        v.expectedCloseDate(), v.company(), v.contact(), e.stage().id(), "OPEN", null, null,
                        v.createdAt(), e.occurredAt(), e.occurredAt(), v.lastActivityAt(), null, version);
            } else if (event instanceof ActivityLogged e) {
                v = new DealView(v.dealId(), v.pipelineId(), v.title(), v.amount(), v.ownerId(), v.source(),
                        v.expectedCloseDate(), v.company(), v.contact(), v.stageId(), v.status(), v.lostReason(), v.lostNote(),
                        v.createdAt(), e.occurredAt(), v.stageEnteredAt(), e.occurredAt(), v.closedAt(), version);
            } else {
                throw new IllegalArgumentException("not a deal event: " + event);
            }
        }

        private DealView closed(String status, String reason, String note, Instant at, long version) {
            return new DealView(v.dealId(), v.pipelineId(), v.title(), v.amount(), v.ownerId(), v.source(),
                    v.expectedCloseDate(), v.company(), v.contact(), v.stageId(), status, reason, note,
                    v.createdAt(), at, v.stageEnteredAt(), v.lastActivityAt(), at, version);
        }

        DealView view() {
            return v;
        }
    }
}
