package io.dealflow.analytics.property;

import java.time.Instant;
import java.util.List;

/**
 * One generated deal's life as stays in stages: each stay starts at {@code entered} and ends by MOVE (the next stay
 * starts then), WON, LOST, or not at all (the deal is still open). After WON or LOST the next stay is a reopen.
 */
record DealScript(String dealId, String ownerId, String source, String currency, String amount, List<Stay> stays,
                  List<Instant> activities) {

    record Stay(int stage, Instant entered, Instant ended, String endedBy) {
    }

    Instant created() {
        return stays.get(0).entered();
    }
}
