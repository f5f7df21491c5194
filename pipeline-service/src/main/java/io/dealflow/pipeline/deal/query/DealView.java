package io.dealflow.pipeline.deal.query;

import io.dealflow.pipeline.deal.Money;

import java.time.Instant;
import java.time.LocalDate;

/** A deal as the seller reads it; {@code version} is the aggregate version, served as ETag. */
public record DealView(String dealId, String pipelineId, String title, MoneyJson amount, String ownerId, String source,
                       LocalDate expectedCloseDate, String company, String contact, String stageId, String status,
                       String lostReason, String lostNote, Instant createdAt, Instant updatedAt, Instant stageEnteredAt,
                       Instant lastActivityAt, Instant closedAt, long version) {

    /** Money on the wire: the amount as a decimal string, so no client parses it as a float. */
    public record MoneyJson(String value, String currency) {
    }
}
