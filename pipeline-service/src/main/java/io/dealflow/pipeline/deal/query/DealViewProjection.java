package io.dealflow.pipeline.deal.query;

import io.dealflow.pipeline.deal.ActivityLogged;
import io.dealflow.pipeline.deal.DealCreated;
import io.dealflow.pipeline.deal.DealLost;
import io.dealflow.pipeline.deal.DealMovedToStage;
import io.dealflow.pipeline.deal.DealReopened;
import io.dealflow.pipeline.deal.DealStatus;
import io.dealflow.pipeline.deal.DealUpdated;
import io.dealflow.pipeline.deal.DealWon;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.stereotype.Component;

/** Keeps deal_view in step with the events, in the same transaction as the command (subscribing processor). */
@Component
@ProcessingGroup("deal-views")
class DealViewProjection {

    private final DealViews views;
    private final DealViewCapture capture;

    DealViewProjection(DealViews views, DealViewCapture capture) {
        this.views = views;
        this.capture = capture;
    }

    @EventHandler
    void on(DealCreated event, @SequenceNumber long version) {
        views.insert(event, version);
        capture.applied(event.dealId(), event, version);
    }

    @EventHandler
    void on(DealMovedToStage event, @SequenceNumber long version) {
        views.moved(event.dealId(), event.to().id(), event.occurredAt(), version);
        capture.applied(event.dealId(), event, version);
    }

    @EventHandler
    void on(DealWon event, @SequenceNumber long version) {
        views.closed(event.dealId(), DealStatus.WON, null, null, event.occurredAt(), version);
        capture.applied(event.dealId(), event, version);
    }

    @EventHandler
    void on(DealLost event, @SequenceNumber long version) {
        views.closed(event.dealId(), DealStatus.LOST, event.reason(), event.note(), event.occurredAt(), version);
        capture.applied(event.dealId(), event, version);
    }

    @EventHandler
    void on(DealUpdated event, @SequenceNumber long version) {
        views.updated(event.dealId(), event.fields(), event.occurredAt(), version);
        capture.applied(event.dealId(), event, version);
    }

    @EventHandler
    void on(DealReopened event, @SequenceNumber long version) {
        views.reopened(event.dealId(), event.stage().id(), event.occurredAt(), version);
        capture.applied(event.dealId(), event, version);
    }

    @EventHandler
    void on(ActivityLogged event, @SequenceNumber long version) {
        views.activity(event.dealId(), event.occurredAt(), version);
        capture.applied(event.dealId(), event, version);
    }
}
