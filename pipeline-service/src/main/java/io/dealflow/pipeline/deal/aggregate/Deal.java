package io.dealflow.pipeline.deal.aggregate;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
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
import io.dealflow.pipeline.pipeline.PipelineView;
import io.dealflow.pipeline.pipeline.Pipelines;
import io.dealflow.pipeline.pipeline.Stage;
import io.dealflow.pipeline.rules.Rule;
import io.dealflow.pipeline.rules.RuleBroken;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/** A deal: every rule about what may happen to it lives here, and every change is an event. */
@Aggregate(snapshotTriggerDefinition = "dealSnapshotTrigger", cache = "dealCache")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
public class Deal {

    static final int MAX_TEXT = 200;
    static final int MAX_NOTE = 2000;
    /** Close dates every store and every consumer can hold (a year of four digits). */
    static final LocalDate EARLIEST_CLOSE_DATE = LocalDate.of(1900, 1, 1);
    static final LocalDate LATEST_CLOSE_DATE = LocalDate.of(9999, 12, 31);

    @AggregateIdentifier
    private String dealId;
    private String pipelineId;
    private StageSnapshot stage;
    private DealStatus status;
    private DealFields fields;

    protected Deal() {
    }

    @CommandHandler
    public Deal(CreateDeal command, Pipelines pipelines, Clock clock) {
        apply(created(command, pipelines, clock.instant()));
    }

    @CommandHandler
    public void handle(MoveDealToStage command, Pipelines pipelines, Clock clock) {
        applyIfAny(moved(command, pipelines, clock.instant()));
    }

    @CommandHandler
    public void handle(WinDeal command, Clock clock) {
        apply(won(clock.instant()));
    }

    @CommandHandler
    public void handle(UpdateDeal command, Clock clock) {
        applyIfAny(updated(command, clock.instant()));
    }

    @CommandHandler
    public void handle(ReopenDeal command, Pipelines pipelines, Clock clock) {
        apply(reopened(command, pipelines, clock.instant()));
    }

    @CommandHandler
    public void handle(LogActivity command, Clock clock) {
        apply(activityLogged(command, clock.instant()));
    }

    @CommandHandler
    public void handle(LoseDeal command, Pipelines pipelines, Clock clock) {
        apply(lost(command, pipelines, clock.instant()));
    }

    /*
     * The decisions: what each command does to this deal at a given instant, or the problem that forbids it.
     * Live commands decide at the clock's now; an imported history decides at the instant each step happened.
     */

    static DealCreated created(CreateDeal command, Pipelines pipelines, Instant at) {
        requireTitle(command.title());
        requireShortText("ownerId", command.ownerId());
        requireShortText("source", command.source());
        requireShortText("company", command.company());
        requireShortText("contact", command.contact());
        requireCloseDate(command.expectedCloseDate());
        if (command.amount() == null) {
            throw new RuleBroken(Rule.INVALID_AMOUNT, "amount is required");
        }
        PipelineView pipeline = pipeline(pipelines, command.pipelineId());
        Stage first = command.stageId() == null ? pipeline.firstStage() : stageOf(pipeline, command.stageId());
        return new DealCreated(command.dealId(), pipeline.id(), command.title().strip(), command.amount(),
                blankToNull(command.ownerId()), blankToNull(command.source()), command.expectedCloseDate(),
                blankToNull(command.company()), blankToNull(command.contact()), StageSnapshot.of(pipeline, first), at);
    }

    /** Null when the deal is already in that stage. */
    DealMovedToStage moved(MoveDealToStage command, Pipelines pipelines, Instant at) {
        requireOpen("move");
        PipelineView pipeline = pipeline(pipelines, pipelineId);
        Stage target = stageOf(pipeline, command.stageId());
        if (target.id().equals(stage.id())) {
            return null;
        }
        return new DealMovedToStage(dealId, pipelineId, stage, StageSnapshot.of(pipeline, target), at);
    }

    DealWon won(Instant at) {
        requireOpen("win");
        return new DealWon(dealId, pipelineId, stage, fields.amount(), at);
    }

    /** Null when nothing named changes. */
    DealUpdated updated(UpdateDeal command, Instant at) {
        requireOpen("change");
        Set<String> named = command.fields();
        DealFields v = command.values();
        DealFields next = new DealFields(
                named.contains("title") ? v.title() : fields.title(),
                named.contains("amount") ? v.amount() : fields.amount(),
                named.contains("ownerId") ? blankToNull(v.ownerId()) : fields.ownerId(),
                named.contains("source") ? blankToNull(v.source()) : fields.source(),
                named.contains("expectedCloseDate") ? v.expectedCloseDate() : fields.expectedCloseDate(),
                named.contains("company") ? blankToNull(v.company()) : fields.company(),
                named.contains("contact") ? blankToNull(v.contact()) : fields.contact());
        requireTitle(next.title());
        if (next.amount() == null) {
            throw new RuleBroken(Rule.INVALID_AMOUNT, "amount cannot be removed");
        }
        requireShortText("ownerId", next.ownerId());
        requireShortText("source", next.source());
        requireShortText("company", next.company());
        requireShortText("contact", next.contact());
        requireCloseDate(next.expectedCloseDate());
        next = new DealFields(next.title().strip(), next.amount(), next.ownerId(), next.source(), next.expectedCloseDate(),
                next.company(), next.contact());
        List<FieldChange> changes = new ArrayList<>();
        compare(changes, "title", fields.title(), next.title());
        compare(changes, "amount", text(fields.amount()), text(next.amount()));
        compare(changes, "ownerId", fields.ownerId(), next.ownerId());
        compare(changes, "source", fields.source(), next.source());
        compare(changes, "expectedCloseDate", text(fields.expectedCloseDate()), text(next.expectedCloseDate()));
        compare(changes, "company", fields.company(), next.company());
        compare(changes, "contact", fields.contact(), next.contact());
        return changes.isEmpty() ? null : new DealUpdated(dealId, pipelineId, changes, next, at);
    }

    DealReopened reopened(ReopenDeal command, Pipelines pipelines, Instant at) {
        if (status == DealStatus.OPEN) {
            throw new RuleBroken(Rule.DEAL_OPEN, "Deal " + dealId + " is open; only a closed deal can be reopened");
        }
        PipelineView pipeline = pipeline(pipelines, pipelineId);
        Stage target = stageOf(pipeline, command.stageId() == null ? stage.id() : command.stageId());
        return new DealReopened(dealId, pipelineId, status, StageSnapshot.of(pipeline, target), at);
    }

    ActivityLogged activityLogged(LogActivity command, Instant at) {
        requireOpen("log an activity");
        if (command.kind() == null) {
            throw new RuleBroken(Rule.INVALID_INPUT, "kind must be one of CALL, MEETING, EMAIL, NOTE");
        }
        if (command.note() != null && command.note().length() > MAX_NOTE) {
            throw new RuleBroken(Rule.INVALID_INPUT, "note must be at most " + MAX_NOTE + " characters");
        }
        return new ActivityLogged(dealId, pipelineId, command.activityId(), command.kind(), blankToNull(command.note()), at);
    }

    DealLost lost(LoseDeal command, Pipelines pipelines, Instant at) {
        requireOpen("lose");
        if (command.reason() == null || command.reason().isBlank() || command.reason().length() > MAX_TEXT) {
            throw new RuleBroken(Rule.INVALID_INPUT, "a lost reason of 1–200 characters is required");
        }
        if (command.note() != null && command.note().length() > MAX_NOTE) {
            throw new RuleBroken(Rule.INVALID_INPUT, "note must be at most " + MAX_NOTE + " characters");
        }
        PipelineView pipeline = pipeline(pipelines, pipelineId);
        if (!pipeline.lostReasons().isEmpty() && !pipeline.lostReasons().contains(command.reason())) {
            throw new RuleBroken(Rule.UNKNOWN_LOST_REASON, "'" + command.reason() + "' is not a lost reason of pipeline "
                    + pipelineId, Map.of("allowed", pipeline.lostReasons()));
        }
        return new DealLost(dealId, pipelineId, stage, command.reason(), blankToNull(command.note()), at);
    }

    private static void applyIfAny(Object event) {
        if (event != null) {
            apply(event);
        }
    }

    @EventSourcingHandler
    void on(DealCreated event) {
        dealId = event.dealId();
        pipelineId = event.pipelineId();
        stage = event.stage();
        fields = new DealFields(event.title(), event.amount(), event.ownerId(), event.source(), event.expectedCloseDate(),
                event.company(), event.contact());
        status = DealStatus.OPEN;
    }

    @EventSourcingHandler
    void on(DealUpdated event) {
        fields = event.fields();
    }

    @EventSourcingHandler
    void on(DealReopened event) {
        status = DealStatus.OPEN;
        stage = event.stage();
    }

    @EventSourcingHandler
    void on(DealMovedToStage event) {
        stage = event.to();
    }

    @EventSourcingHandler
    void on(DealWon event) {
        status = DealStatus.WON;
    }

    @EventSourcingHandler
    void on(DealLost event) {
        status = DealStatus.LOST;
    }

    private void requireOpen(String action) {
        if (status != DealStatus.OPEN) {
            throw new RuleBroken(Rule.DEAL_CLOSED, "Deal " + dealId + " is " + status.name().toLowerCase()
                    + "; a closed deal cannot " + action + " (reopen it first)");
        }
    }

    private static PipelineView pipeline(Pipelines pipelines, String pipelineId) {
        return pipelines.find(pipelineId).orElseThrow(() ->
                new RuleBroken(Rule.PIPELINE_NOT_FOUND, "No pipeline with id " + pipelineId));
    }

    private static Stage stageOf(PipelineView pipeline, String stageId) {
        return pipeline.stage(stageId).orElseThrow(() -> new RuleBroken(Rule.UNKNOWN_STAGE,
                "Stage '" + stageId + "' is not a stage of pipeline " + pipeline.id()));
    }

    private static void requireTitle(String title) {
        if (title == null || title.isBlank() || title.strip().length() > MAX_TEXT) {
            throw new RuleBroken(Rule.INVALID_INPUT, "title must be 1–200 characters");
        }
    }

    private static void requireCloseDate(LocalDate date) {
        if (date != null && (date.isBefore(EARLIEST_CLOSE_DATE) || date.isAfter(LATEST_CLOSE_DATE))) {
            throw new RuleBroken(Rule.INVALID_INPUT, "expectedCloseDate must lie between " + EARLIEST_CLOSE_DATE + " and " + LATEST_CLOSE_DATE);
        }
    }

    private static void requireShortText(String field, String value) {
        if (value != null && value.length() > MAX_TEXT) {
            throw new RuleBroken(Rule.INVALID_INPUT, field + " must be at most " + MAX_TEXT + " characters");
        }
    }

    private static void compare(List<FieldChange> changes, String field, String before, String after) {
        if (!Objects.equals(before, after)) {
            changes.add(new FieldChange(field, before, after));
        }
    }

    private static String text(Object value) {
        if (value instanceof Money money) {
            return money.value().toPlainString() + " " + money.currency();
        }
        return value == null ? null : value.toString();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
