package io.dealflow.pipeline.attention;

import io.dealflow.pipeline.deal.query.DealView;

import java.util.List;

/** A deal that needs action now, and why: STALLED, PAST_EXPECTED_CLOSE, NO_OWNER. */
public record AttentionItem(DealView deal, List<Reason> reasons) {

    public record Reason(String code, String detail) {
    }
}
