package io.dealflow.pipeline.imports;

import io.dealflow.pipeline.deal.ActivityKind;
import io.dealflow.pipeline.deal.CreateDeal;
import io.dealflow.pipeline.deal.DealFields;
import io.dealflow.pipeline.deal.LogActivity;
import io.dealflow.pipeline.deal.LoseDeal;
import io.dealflow.pipeline.deal.Money;
import io.dealflow.pipeline.deal.MoveDealToStage;
import io.dealflow.pipeline.deal.ReopenDeal;
import io.dealflow.pipeline.deal.UpdateDeal;
import io.dealflow.pipeline.deal.WinDeal;
import io.dealflow.pipeline.deal.aggregate.DealReplay;
import io.dealflow.pipeline.rules.RuleBroken;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/** Turns an imported deal into the commands of its history, each at its instant; refuses what cannot be a history. */
final class HistoryPlan {

    /** The creation and the steps after it, ready for {@link DealReplay}. */
    record Planned(CreateDeal creation, Instant createdAt, List<DealReplay.Step> steps) {
    }

    static final class Invalid extends RuntimeException {
        Invalid(String reason) {
            super(reason, null, false, false);
        }
    }

    private HistoryPlan() {
    }

    static Planned of(ImportedDeal deal, String dealId, String pipelineId, Instant now) {
        if (deal.createdAt() == null) {
            throw new Invalid("createdAt is required");
        }
        if (deal.createdAt().isAfter(now)) {
            throw new Invalid("createdAt " + deal.createdAt() + " lies in the future");
        }
        if (deal.amount() == null) {
            throw new Invalid("amount is required");
        }
        CreateDeal creation = new CreateDeal(dealId, pipelineId, deal.stageId(), deal.title(), money(deal.amount()),
                deal.ownerId(), deal.source(), deal.expectedCloseDate(), deal.company(), deal.contact());
        List<DealReplay.Step> steps = new ArrayList<>();
        Instant previous = deal.createdAt();
        List<ImportedDeal.Step> history = deal.history() == null ? List.of() : deal.history();
        for (int i = 0; i < history.size(); i++) {
            ImportedDeal.Step step = history.get(i);
            String where = "history[" + i + "]: ";
            if (step == null || step.type() == null) {
                throw new Invalid(where + "type is required");
            }
            if (step.at() == null) {
                throw new Invalid(where + "at is required");
            }
            if (step.at().isBefore(previous)) {
                throw new Invalid(where + "at " + step.at() + " lies before the step before it (" + previous + ")");
            }
            if (step.at().isAfter(now)) {
                throw new Invalid(where + "at " + step.at() + " lies in the future");
            }
            previous = step.at();
            steps.add(new DealReplay.Step(command(dealId, step, where), step.at()));
        }
        return new Planned(creation, deal.createdAt(), steps);
    }

    /**
     * The same import and line always name the same deal, so an import that is resumed never writes a deal twice.
     * The ids are ordered like the import's lines (version 8 UUIDs: the import's creation time in milliseconds, then
     * the line number, then a hash of who imported under which key): the deals of one chunk land side by side at the
     * end of every index instead of each on a leaf of its own.
     */
    record DealIds(long high, long hash) {

        static DealIds of(String subject, String importKey, Instant importCreated) {
            long hash = ByteBuffer.wrap(digest(subject + "\n" + importKey)).getLong();
            return new DealIds((importCreated.toEpochMilli() << 16) | 0x8000L | ((hash >>> 52) & 0xFFF), hash & 0xFFFFFFFFL);
        }

        String forLine(long line) {
            return new UUID(high, 0x8000000000000000L | ((line & 0x3FFFFFFFL) << 32) | hash).toString();
        }

        private static byte[] digest(String text) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JDK", e);
            }
        }
    }

    private static Object command(String dealId, ImportedDeal.Step step, String where) {
        switch (step.type()) {
            case "moved" -> {
                require(step.stageId() != null, where + "a move needs stageId");
                return new MoveDealToStage(dealId, step.stageId(), null);
            }
            case "won" -> {
                return new WinDeal(dealId, null);
            }
            case "lost" -> {
                return new LoseDeal(dealId, step.reason(), step.note(), null);
            }
            case "reopened" -> {
                return new ReopenDeal(dealId, step.stageId(), null);
            }
            case "activity" -> {
                ActivityKind kind;
                try {
                    kind = step.kind() == null ? null : ActivityKind.valueOf(step.kind().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    kind = null;
                }
                require(kind != null, where + "kind must be one of CALL, MEETING, EMAIL, NOTE");
                return new LogActivity(dealId, UUID.nameUUIDFromBytes((dealId + "\n" + where)
                        .getBytes(StandardCharsets.UTF_8)).toString(), kind, step.note());
            }
            case "updated" -> {
                Set<String> named = new LinkedHashSet<>();
                addIf(named, "title", step.title());
                addIf(named, "amount", step.amount());
                addIf(named, "ownerId", step.ownerId());
                addIf(named, "source", step.source());
                addIf(named, "company", step.company());
                addIf(named, "contact", step.contact());
                addIf(named, "expectedCloseDate", step.expectedCloseDate());
                require(!named.isEmpty(), where + "an update names at least one field");
                return new UpdateDeal(dealId, named, new DealFields(step.title(),
                        step.amount() == null ? null : money(step.amount(), where), step.ownerId(), step.source(),
                        step.expectedCloseDate(), step.company(), step.contact()), null);
            }
            default -> throw new Invalid(where + "type '" + step.type() + "' is not one of moved, updated, activity, won, lost, reopened");
        }
    }

    private static Money money(ImportedDeal.Amount amount) {
        return money(amount, "");
    }

    private static Money money(ImportedDeal.Amount amount, String where) {
        try {
            return Money.of(amount.value(), amount.currency());
        } catch (RuleBroken e) {
            throw new Invalid(where + e.getMessage());
        }
    }

    private static void addIf(Set<String> named, String field, Object value) {
        if (value != null) {
            named.add(field);
        }
    }

    private static void require(boolean condition, String reason) {
        if (!condition) {
            throw new Invalid(reason);
        }
    }
}
