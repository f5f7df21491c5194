package io.dealflow.pipeline.board;

import io.dealflow.pipeline.deal.query.DealView;

import java.util.List;
import java.util.Map;

/** The pipeline board: per stage its open deals, their count, and total and weighted amounts per currency. */
public record Board(String pipelineId, String name, List<Column> stages) {

    /** {@code deals}: the largest open deals of the stage per currency (ordered by currency, then amount), at most the requested number. */
    public record Column(String stageId, String name, int probability, String phase, long count,
                         Map<String, Totals> amounts, List<DealView> deals) {
    }

    /** Sum of amounts, and the sum weighted by the stage's win probability, in one currency. */
    public record Totals(String total, String weighted) {
    }
}
