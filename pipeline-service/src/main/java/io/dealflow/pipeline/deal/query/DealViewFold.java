package io.dealflow.pipeline.deal.query;

import io.dealflow.pipeline.deal.ActivityLogged;
import io.dealflow.pipeline.deal.DealCreated;
import io.dealflow.pipeline.deal.DealFields;
import io.dealflow.pipeline.deal.DealLost;
import io.dealflow.pipeline.deal.DealMovedToStage;
import io.dealflow.pipeline.deal.DealReopened;
import io.dealflow.pipeline.deal.DealUpdated;
import io.dealflow.pipeline.deal.DealWon;

import java.time.Instant;
import java.util.List;

/** The deal_view row after the events, as {@link DealViewProjection} would leave it event by event. */
public final class DealViewFold {

    private DealView v;

    /** The view of a deal after its whole history (the creation first), as if each event had been projected. */
    public static DealView of(List<Object> events) {
        DealViewFold fold = new DealViewFold((DealCreated) events.get(0));
        for (int i = 1; i < events.size(); i++) {
            fold.apply(events.get(i), i);
        }
        return fold.v;
    }

    /** The view after further events of the deal, each with its sequence number; the deal's creation may be the first. */
    static DealView after(DealView before, List<Object> events, List<Long> versions) {
        DealViewFold fold = before == null ? new DealViewFold((DealCreated) events.get(0)) : new DealViewFold(before);
        for (int i = before == null ? 1 : 0; i < events.size(); i++) {
            fold.apply(events.get(i), versions.get(i));
        }
        return fold.v;
    }

    private DealViewFold(DealView start) {
        v = start;
    }

    private DealViewFold(DealCreated e) {
        v = new DealView(e.dealId(), e.pipelineId(), e.title(), DealViews.money(e.amount().value(), e.amount().currency()),
                e.ownerId(), e.source(), e.expectedCloseDate(), e.company(), e.contact(), e.stage().id(), "OPEN",
                null, null, e.occurredAt(), e.occurredAt(), e.occurredAt(), null, null, 0);
    }

    private void apply(Object event, long version) {
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
}
