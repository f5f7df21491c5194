package io.dealflow.analytics.property;

import io.dealflow.events.v1.DealActivityLogged;
import io.dealflow.events.v1.DealCreated;
import io.dealflow.events.v1.DealLost;
import io.dealflow.events.v1.DealMovedToStage;
import io.dealflow.events.v1.DealReopened;
import io.dealflow.events.v1.DealUpdated;
import io.dealflow.events.v1.DealWon;
import io.dealflow.events.v1.EventTypes;
import io.dealflow.events.v1.Money;
import io.dealflow.events.v1.PipelineDefined;
import io.dealflow.events.v1.StageInfo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Turns generated deal scripts into the public events pipeline-service would publish, in order, with sequences. */
final class PropertyEvents {

    record Event(String type, String subject, long sequence, Instant time, Object payload) {
    }

    static final String[] PHASES = {"AWARENESS", "INTEREST", "CONSIDERATION", "DECISION", "DECISION"};
    static final int[] PROBABILITIES = {10, 25, 40, 60, 80};
    static final String[] REASONS = {"Price", "Timing", "Competitor"};

    private PropertyEvents() {
    }

    static StageInfo stage(int index) {
        return new StageInfo("s" + index, "Stage " + index, index, PROBABILITIES[index], PHASES[index]);
    }

    static String reason(DealScript deal) {
        return REASONS[Math.floorMod(deal.dealId().hashCode(), REASONS.length)];
    }

    static Event pipeline(String pipelineId, Instant at) {
        List<PipelineDefined.PipelineStage> stages = new ArrayList<>();
        for (int i = 0; i < PHASES.length; i++) {
            stages.add(new PipelineDefined.PipelineStage("s" + i, "Stage " + i, i, PROBABILITIES[i], PHASES[i], null));
        }
        return new Event(EventTypes.PIPELINE_DEFINED, pipelineId, 0, at, new PipelineDefined(pipelineId, "Property", stages,
                List.of(REASONS), at, "system"));
    }

    static List<Event> events(String pipelineId, DealScript deal) {
        record Timed(Instant at, int order, Object payload, String type) {
        }
        List<Timed> timed = new ArrayList<>();
        String id = deal.dealId();
        Money amount = new Money(deal.amount(), deal.currency());
        List<DealScript.Stay> stays = deal.stays();
        int order = 0;
        DealScript.Stay first = stays.get(0);
        timed.add(new Timed(first.entered(), order++, new DealCreated(id, pipelineId, "Deal " + id, amount, deal.ownerId(),
                deal.source(), deal.expectedClose(), null, null, stage(first.stage()), first.entered(), "gen"), EventTypes.DEAL_CREATED));
        for (int i = 0; i < stays.size(); i++) {
            DealScript.Stay s = stays.get(i);
            if (s.ended() == null) {
                continue;
            }
            switch (s.endedBy()) {
                case "MOVE" -> timed.add(new Timed(s.ended(), order++, new DealMovedToStage(id, pipelineId, stage(s.stage()),
                        stage(stays.get(i + 1).stage()), s.ended(), "gen"), EventTypes.DEAL_MOVED_TO_STAGE));
                case "WON" -> timed.add(new Timed(s.ended(), order++, new DealWon(id, pipelineId, stage(s.stage()), amount, s.ended(), "gen"),
                        EventTypes.DEAL_WON));
                default -> timed.add(new Timed(s.ended(), order++, new DealLost(id, pipelineId, stage(s.stage()), reason(deal), null,
                        s.ended(), "gen"), EventTypes.DEAL_LOST));
            }
            if (!"MOVE".equals(s.endedBy()) && i + 1 < stays.size()) {
                DealScript.Stay next = stays.get(i + 1);
                timed.add(new Timed(next.entered(), order++, new DealReopened(id, pipelineId, s.endedBy(), stage(next.stage()),
                        next.entered(), "gen"), EventTypes.DEAL_REOPENED));
            }
        }
        for (Instant activity : deal.activities()) {
            timed.add(new Timed(activity, order++, new DealActivityLogged(id, pipelineId, "a" + order, "CALL", null, activity, "gen"),
                    EventTypes.DEAL_ACTIVITY_LOGGED));
        }
        java.time.LocalDate close = deal.expectedClose();
        for (DealScript.Edit edit : deal.edits()) {
            List<String> changed = new ArrayList<>(List.of("ownerId", "source", "amount"));
            if (!java.util.Objects.equals(close, edit.expectedClose())) {
                changed.add("expectedCloseDate");
            }
            close = edit.expectedClose();
            timed.add(new Timed(edit.at(), order++, new DealUpdated(id, pipelineId, changed, "Deal " + id, new Money(edit.amount(), deal.currency()),
                    edit.ownerId(), edit.source(), edit.expectedClose(), null, null, edit.at(), "gen"), EventTypes.DEAL_UPDATED));
        }
        timed.sort(Comparator.comparing(Timed::at).thenComparing(Timed::order));
        List<Event> events = new ArrayList<>();
        for (int seq = 0; seq < timed.size(); seq++) {
            Timed t = timed.get(seq);
            events.add(new Event(t.type(), id, seq, t.at(), t.payload()));
        }
        return events;
    }
}
