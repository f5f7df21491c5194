package io.dealflow.analytics.projection;

import io.dealflow.analytics.tally.Cohorts;
import io.dealflow.analytics.tally.Phases;
import io.dealflow.analytics.tally.ReachedFlags;
import io.dealflow.events.v1.DealCreated;
import io.dealflow.events.v1.DealLost;
import io.dealflow.events.v1.DealMovedToStage;
import io.dealflow.events.v1.DealReopened;
import io.dealflow.events.v1.DealUpdated;
import io.dealflow.events.v1.DealWon;
import io.dealflow.events.v1.StageInfo;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One deal of the read model in memory while a batch is applied: its row, its stage visits and the per-stage and
 * per-phase flags derived from them ({@link io.dealflow.analytics.funnel.ReachedFlags}). Events change it here; {@link DealStateStore} loads it before and writes what changed after.
 */
final class DealState {

    /** A stage or phase the deal has been in: later advanced past it (or won), lost while in it. */
    static final class Reached {
        final int order;
        boolean advanced;
        boolean lost;

        Reached(int order) {
            this.order = order;
        }
    }

    /** One stay in a stage; {@code leftAt} is null while it lasts. */
    static final class Visit {
        final long seq;
        final String stageId;
        final Instant enteredAt;
        final int position;
        final String phase;
        final int probability;
        Instant leftAt;
        Long durationSeconds;
        String endedBy;
        boolean stored;
        boolean dirty;

        Visit(long seq, String stageId, Instant enteredAt, int position, String phase, int probability, boolean stored) {
            this.seq = seq;
            this.stageId = stageId;
            this.enteredAt = enteredAt;
            this.position = position;
            this.phase = phase;
            this.probability = probability;
            this.stored = stored;
        }
    }

    record AmountChange(Instant validFrom, long seq, BigDecimal amount, String currency, String kind) {
    }

    record CloseDateChange(long seq, Instant changedAt, LocalDate oldDate, LocalDate newDate) {
    }

    final String dealId;
    boolean stored;
    boolean dirty;
    String pipelineId;
    String status;
    String stageId;
    int stagePosition;
    int maxPosition;
    int stageProbability;
    String ownerId;
    String source;
    BigDecimal amount;
    String currency;
    LocalDate expectedClose;
    Instant createdAt;
    Instant closedAt;
    String lostReason;
    long lastSeq;
    /** The last applied sequence as read from the table: the save only goes through if it is still that. */
    long storedSeq = -1;
    int gaps;
    String createdMonth;
    String createdWeek;
    Long wonCycleSeconds;
    int closeSlips;
    final Map<String, Reached> stages = new LinkedHashMap<>();
    final Map<String, Reached> phases = new LinkedHashMap<>();
    final List<Visit> visits = new ArrayList<>();
    final List<AmountChange> amountChanges = new ArrayList<>();
    final List<CloseDateChange> closeDateChanges = new ArrayList<>();

    DealState(String dealId) {
        this.dealId = dealId;
    }

    boolean exists() {
        return pipelineId != null;
    }

    void created(DealCreated e, long seq) {
        LocalDate day = LocalDate.ofInstant(e.occurredAt(), ZoneOffset.UTC);
        pipelineId = e.pipelineId();
        status = "OPEN";
        stageId = e.stage().id();
        stagePosition = e.stage().position();
        maxPosition = e.stage().position();
        stageProbability = e.stage().probability();
        ownerId = e.ownerId();
        source = e.source();
        amount = new BigDecimal(e.amount().value());
        currency = e.amount().currency();
        expectedClose = e.expectedCloseDate();
        createdAt = e.occurredAt();
        lastSeq = seq;
        createdMonth = Cohorts.month(day);
        createdWeek = Cohorts.week(day);
        amountChanges.add(new AmountChange(e.occurredAt(), seq, amount, currency, "CREATED"));
        enter(e.stage(), e.occurredAt());
        dirty = true;
    }

    void moved(DealMovedToStage m) {
        leave(m.occurredAt(), "MOVE");
        enter(m.to(), m.occurredAt());
        if (m.to().position() > m.from().position()) {
            advanceBefore(stages, m.to().position());
        }
        int toPhase = Phases.ordinal(m.to().phase());
        if (toPhase > Phases.ordinal(m.from().phase())) {
            advanceBefore(phases, toPhase);
        }
        at(m.to());
    }

    void won(DealWon w) {
        leave(w.occurredAt(), "WON");
        advanceBefore(stages, Integer.MAX_VALUE);
        advanceBefore(phases, Integer.MAX_VALUE);
        status = "WON";
        closedAt = w.occurredAt();
        amount = new BigDecimal(w.amount().value());
        currency = w.amount().currency();
        wonCycleSeconds = createdAt == null ? 0 : Math.max(0, w.occurredAt().getEpochSecond() - createdAt.getEpochSecond());
    }

    void lost(DealLost l) {
        leave(l.occurredAt(), "LOST");
        flagLost(stages.get(l.stage().id()));
        flagLost(phases.get(l.stage().phase()));
        status = "LOST";
        closedAt = l.occurredAt();
        lostReason = l.reason();
    }

    void reopened(DealReopened r) {
        enter(r.stage(), r.occurredAt());
        // reopened into a later stage: the stages it was in before count as advanced, as after a forward move
        advanceBefore(stages, r.stage().position());
        advanceBefore(phases, Phases.ordinal(r.stage().phase()));
        status = "OPEN";
        closedAt = null;
        lostReason = null;
        wonCycleSeconds = null;
        at(r.stage());
    }

    void updated(DealUpdated u, long seq) {
        if (u.changed().contains("amount")) {
            amountChanges.add(new AmountChange(u.occurredAt(), seq, new BigDecimal(u.amount().value()), u.amount().currency(), "UPDATED"));
        }
        if (u.changed().contains("expectedCloseDate")) {
            LocalDate old = expectedClose;
            LocalDate next = u.expectedCloseDate();
            closeDateChanges.add(new CloseDateChange(seq, u.occurredAt(), old, next));
            if (old != null && next != null && next.isAfter(old)) {
                closeSlips++;
            }
        }
        amount = new BigDecimal(u.amount().value());
        currency = u.amount().currency();
        ownerId = u.ownerId();
        source = u.source();
        expectedClose = u.expectedCloseDate();
    }

    int maxPhase() {
        return phases.values().stream().mapToInt(p -> p.order).max().orElse(0);
    }

    private void at(StageInfo stage) {
        stageId = stage.id();
        stagePosition = stage.position();
        stageProbability = stage.probability();
        maxPosition = Math.max(maxPosition, stage.position());
    }

    private void enter(StageInfo stage, Instant at) {
        stages.computeIfAbsent(stage.id(), id -> new Reached(stage.position()));
        phases.computeIfAbsent(stage.phase(), p -> new Reached(Phases.ordinal(p)));
        long seq = visits.stream().mapToLong(v -> v.seq + 1).max().orElse(0);
        visits.add(new Visit(seq, stage.id(), at, stage.position(), stage.phase(), stage.probability(), false));
    }

    private void leave(Instant at, String endedBy) {
        for (Visit v : visits) {
            if (v.leftAt == null) {
                v.leftAt = at;
                v.durationSeconds = Math.max(0, at.getEpochSecond() - v.enteredAt.getEpochSecond());
                v.endedBy = endedBy;
                v.dirty = true;
            }
        }
    }

    private static void advanceBefore(Map<String, Reached> reached, int order) {
        for (Reached r : reached.values()) {
            if (r.order < order) {
                r.advanced = true;
            }
        }
    }

    private static void flagLost(Reached reached) {
        if (reached != null) {
            reached.lost = true;
        }
    }
}
