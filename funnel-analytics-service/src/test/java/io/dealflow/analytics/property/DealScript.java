package io.dealflow.analytics.property;

import java.time.Instant;
import java.util.List;

/**
 * One generated deal's life as stays in stages: each stay starts at {@code entered} and ends by MOVE (the next stay
 * starts then), WON, LOST, or not at all (the deal is still open). After WON or LOST the next stay is a reopen.
 * Edits change owner, source, amount or expected close date; they leave the stage history alone.
 */
record DealScript(String dealId, String ownerId, String source, String currency, String amount, List<Stay> stays,
                  List<Instant> activities, java.time.LocalDate expectedClose, List<Edit> edits) {

    /** A change of the editable fields: owner, source, amount and expected close date after it (a reassignment, a slip...). */
    record Edit(Instant at, String ownerId, String source, String amount, java.time.LocalDate expectedClose) {
    }

    DealScript withId(String id) {
        return new DealScript(id, ownerId, source, currency, amount, stays, activities, expectedClose, edits);
    }

    record Stay(int stage, Instant entered, Instant ended, String endedBy) {
    }

    Instant created() {
        return stays.get(0).entered();
    }
}
