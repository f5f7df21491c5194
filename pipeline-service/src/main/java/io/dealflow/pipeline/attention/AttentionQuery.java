package io.dealflow.pipeline.attention;

import io.dealflow.pipeline.deal.query.DealView;
import io.dealflow.pipeline.deal.query.DealViews;
import io.dealflow.pipeline.pipeline.PipelineView;
import io.dealflow.pipeline.pipeline.Stage;
import io.dealflow.pipeline.pipeline.query.PipelineCatalog;
import org.springframework.stereotype.Component;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Open deals that need action now: stalled longer than their stage's rottingDays since the last activity or
 * stage change, past their expected close date, or without an owner.
 */
@Component
class AttentionQuery {

    private final DealViews views;
    private final PipelineCatalog catalog;
    private final Clock clock;

    AttentionQuery(DealViews views, PipelineCatalog catalog, Clock clock) {
        this.views = views;
        this.catalog = catalog;
        this.clock = clock;
    }

    List<AttentionItem> find(String pipelineId, String ownerId, int limit) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<PipelineView> pipelines = pipelineId == null ? catalog.all() : catalog.find(pipelineId).map(List::of).orElse(List.of());
        Map<String, Integer> rotting = new HashMap<>();
        StringBuilder stalled = new StringBuilder();
        List<Object> args = new ArrayList<>();
        for (PipelineView pipeline : pipelines) {
            for (Stage stage : pipeline.stages()) {
                if (stage.rottingDays() != null) {
                    rotting.put(pipeline.id() + "/" + stage.id(), stage.rottingDays());
                    stalled.append(stalled.isEmpty() ? "" : " or ")
                            .append("(pipeline_id = ? and stage_id = ? and coalesce(last_activity_at, stage_entered_at) < ? and stage_entered_at < ?)");
                    Timestamp threshold = Timestamp.from(now.minus(Duration.ofDays(stage.rottingDays())));
                    args.add(pipeline.id());
                    args.add(stage.id());
                    args.add(threshold);
                    args.add(threshold);
                }
            }
        }
        StringBuilder sql = new StringBuilder("select * from deal_view where status = 'OPEN'");
        List<Object> all = new ArrayList<>();
        if (pipelineId != null) {
            sql.append(" and pipeline_id = ?");
            all.add(pipelineId);
        }
        if (ownerId != null) {
            sql.append(" and owner_id = ?");
            all.add(ownerId);
        }
        sql.append(" and (owner_id is null or expected_close_date < ?");
        all.add(Date.valueOf(today));
        if (!stalled.isEmpty()) {
            sql.append(" or ").append(stalled);
            all.addAll(args);
        }
        sql.append(") order by coalesce(last_activity_at, stage_entered_at), deal_id limit ?");
        all.add(limit);

        List<AttentionItem> items = new ArrayList<>();
        for (DealView deal : views.query(sql.toString(), all.toArray())) {
            List<AttentionItem.Reason> reasons = new ArrayList<>();
            Integer days = rotting.get(deal.pipelineId() + "/" + deal.stageId());
            Instant lastTouch = deal.lastActivityAt() != null && deal.lastActivityAt().isAfter(deal.stageEnteredAt())
                    ? deal.lastActivityAt() : deal.stageEnteredAt();
            long idle = Duration.between(lastTouch, now).toDays();
            if (days != null && idle >= days) {
                reasons.add(new AttentionItem.Reason("STALLED", "no activity or stage change for " + idle
                        + " days (stage threshold " + days + ")"));
            }
            if (deal.expectedCloseDate() != null && deal.expectedCloseDate().isBefore(today)) {
                reasons.add(new AttentionItem.Reason("PAST_EXPECTED_CLOSE", "expected to close on " + deal.expectedCloseDate()));
            }
            if (deal.ownerId() == null) {
                reasons.add(new AttentionItem.Reason("NO_OWNER", "nobody owns this deal"));
            }
            if (!reasons.isEmpty()) {
                items.add(new AttentionItem(deal, reasons));
            }
        }
        return items;
    }
}
