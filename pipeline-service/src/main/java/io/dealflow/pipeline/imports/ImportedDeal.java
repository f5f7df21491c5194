package io.dealflow.pipeline.imports;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * One deal of an import, as one NDJSON line: its fields when it was created, when that was, and everything that
 * happened to it afterwards in {@code history}, each step with the instant it happened (business time).
 */
public record ImportedDeal(String externalId, String title, Amount amount, String ownerId, String source,
                           String company, String contact, LocalDate expectedCloseDate, String stageId,
                           Instant createdAt, List<Step> history) {

    public record Amount(BigDecimal value, String currency) {
    }

    /**
     * {@code type} is one of moved (stageId), updated (any of title, amount, ownerId, source, company, contact,
     * expectedCloseDate), activity (kind, note), won, lost (reason, note), reopened (stageId, optional).
     */
    public record Step(String type, Instant at, String stageId, String title, Amount amount, String ownerId,
                       String source, String company, String contact, LocalDate expectedCloseDate, String kind,
                       String note, String reason) {
    }
}
