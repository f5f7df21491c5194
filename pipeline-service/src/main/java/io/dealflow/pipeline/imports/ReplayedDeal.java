package io.dealflow.pipeline.imports;

import io.dealflow.pipeline.deal.query.DealView;

import java.util.List;

/** One imported deal ready to write: its events in order (sequence 0 first) and the seller's view after them. */
record ReplayedDeal(List<Object> events, DealView view) {
}
