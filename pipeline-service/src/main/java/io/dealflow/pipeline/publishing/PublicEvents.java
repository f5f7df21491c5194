package io.dealflow.pipeline.publishing;

import io.dealflow.events.v1.DealEvent;
import io.dealflow.events.v1.EventTypes;
import io.dealflow.events.v1.Money;
import io.dealflow.events.v1.PipelineDefined;
import io.dealflow.events.v1.StageInfo;
import io.dealflow.pipeline.deal.ActivityLogged;
import io.dealflow.pipeline.deal.DealCreated;
import io.dealflow.pipeline.deal.DealFields;
import io.dealflow.pipeline.deal.DealReopened;
import io.dealflow.pipeline.deal.DealUpdated;
import io.dealflow.pipeline.deal.FieldChange;
import io.dealflow.pipeline.deal.DealLost;
import io.dealflow.pipeline.deal.DealMovedToStage;
import io.dealflow.pipeline.deal.DealWon;
import io.dealflow.pipeline.deal.StageSnapshot;
import io.dealflow.pipeline.pipeline.Stage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place where internal events become public, versioned ones. An internal event without a mapping
 * here never reaches the topic.
 */
public final class PublicEvents {

    /** A public event ready to publish: its CloudEvents type, subject (the key) and payload record. */
    public record Mapped(String type, String subject, Object payload) {

        /** Business time: when it happened in the sales process (for an imported history, long before it was stored). */
        public Instant occurredAt() {
            return payload instanceof DealEvent deal ? deal.occurredAt() : ((PipelineDefined) payload).occurredAt();
        }
    }

    private PublicEvents() {
    }

    /** Returns null for internal events that have no public counterpart. */
    public static Mapped map(Object event, String actor) {
        if (event instanceof DealCreated e) {
            return new Mapped(EventTypes.DEAL_CREATED, e.dealId(), new io.dealflow.events.v1.DealCreated(
                    e.dealId(), e.pipelineId(), e.title(), money(e.amount()), e.ownerId(), e.source(),
                    e.expectedCloseDate(), e.company(), e.contact(), stage(e.stage()), e.occurredAt(), actor));
        }
        if (event instanceof DealMovedToStage e) {
            return new Mapped(EventTypes.DEAL_MOVED_TO_STAGE, e.dealId(), new io.dealflow.events.v1.DealMovedToStage(
                    e.dealId(), e.pipelineId(), stage(e.from()), stage(e.to()), e.occurredAt(), actor));
        }
        if (event instanceof DealWon e) {
            return new Mapped(EventTypes.DEAL_WON, e.dealId(), new io.dealflow.events.v1.DealWon(
                    e.dealId(), e.pipelineId(), stage(e.stage()), money(e.amount()), e.occurredAt(), actor));
        }
        if (event instanceof DealLost e) {
            return new Mapped(EventTypes.DEAL_LOST, e.dealId(), new io.dealflow.events.v1.DealLost(
                    e.dealId(), e.pipelineId(), stage(e.stage()), e.reason(), e.note(), e.occurredAt(), actor));
        }
        if (event instanceof DealUpdated e) {
            DealFields f = e.fields();
            return new Mapped(EventTypes.DEAL_UPDATED, e.dealId(), new io.dealflow.events.v1.DealUpdated(
                    e.dealId(), e.pipelineId(), e.changes().stream().map(FieldChange::field).toList(), f.title(),
                    money(f.amount()), f.ownerId(), f.source(), f.expectedCloseDate(), f.company(), f.contact(),
                    e.occurredAt(), actor));
        }
        if (event instanceof DealReopened e) {
            return new Mapped(EventTypes.DEAL_REOPENED, e.dealId(), new io.dealflow.events.v1.DealReopened(
                    e.dealId(), e.pipelineId(), e.previousStatus().name(), stage(e.stage()), e.occurredAt(), actor));
        }
        if (event instanceof ActivityLogged e) {
            return new Mapped(EventTypes.DEAL_ACTIVITY_LOGGED, e.dealId(), new io.dealflow.events.v1.DealActivityLogged(
                    e.dealId(), e.pipelineId(), e.activityId(), e.kind().name(), e.note(), e.occurredAt(), actor));
        }
        if (event instanceof io.dealflow.pipeline.pipeline.PipelineDefined e) {
            return new Mapped(EventTypes.PIPELINE_DEFINED, e.pipelineId(),
                    new PipelineDefined(e.pipelineId(), e.name(), stages(e.stages()), e.lostReasons(), e.occurredAt(), actor));
        }
        if (event instanceof io.dealflow.pipeline.pipeline.PipelineChanged e) {
            return new Mapped(EventTypes.PIPELINE_CHANGED, e.pipelineId(),
                    new PipelineDefined(e.pipelineId(), e.name(), stages(e.stages()), e.lostReasons(), e.occurredAt(), actor));
        }
        return null;
    }

    private static List<PipelineDefined.PipelineStage> stages(List<Stage> stages) {
        List<PipelineDefined.PipelineStage> result = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            Stage s = stages.get(i);
            result.add(new PipelineDefined.PipelineStage(s.id(), s.name(), i, s.probability(), s.phase().name(), s.rottingDays()));
        }
        return result;
    }

    private static Money money(io.dealflow.pipeline.deal.Money money) {
        return new Money(money.value().toPlainString(), money.currency());
    }

    private static StageInfo stage(StageSnapshot s) {
        return new StageInfo(s.id(), s.name(), s.position(), s.probability(), s.phase().name());
    }
}
