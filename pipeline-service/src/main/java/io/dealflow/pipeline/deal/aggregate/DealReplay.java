package io.dealflow.pipeline.deal.aggregate;

import io.dealflow.pipeline.deal.CreateDeal;
import io.dealflow.pipeline.deal.DealCreated;
import io.dealflow.pipeline.deal.DealLost;
import io.dealflow.pipeline.deal.DealMovedToStage;
import io.dealflow.pipeline.deal.DealReopened;
import io.dealflow.pipeline.deal.DealUpdated;
import io.dealflow.pipeline.deal.DealWon;
import io.dealflow.pipeline.deal.LogActivity;
import io.dealflow.pipeline.deal.LoseDeal;
import io.dealflow.pipeline.deal.MoveDealToStage;
import io.dealflow.pipeline.deal.ReopenDeal;
import io.dealflow.pipeline.deal.UpdateDeal;
import io.dealflow.pipeline.deal.WinDeal;
import io.dealflow.pipeline.pipeline.Pipelines;
import io.dealflow.pipeline.rules.RuleBroken;

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

    /** The events of the history, in order (sequence 0 first). */
    public List<Object> replay(CreateDeal creation, Instant createdAt, List<Step> steps) {
        List<Object> events = new ArrayList<>(steps.size() + 1);
        Deal deal = new Deal();
        DealCreated created = decide(0, () -> Deal.created(creation, pipelines, createdAt));
        deal.on(created);
        events.add(created);
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            Object event = decide(i + 1, () -> decideOne(deal, step));
            if (event == null) {
                continue;
            }
            evolve(deal, event);
            events.add(event);
        }
        return events;
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
        } catch (RuleBroken e) {
            throw new Refused(step, e.getMessage());
        }
    }
}
