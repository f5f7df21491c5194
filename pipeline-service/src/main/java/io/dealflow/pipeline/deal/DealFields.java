package io.dealflow.pipeline.deal;

import java.time.LocalDate;

/** The editable fields of a deal. */
public record DealFields(String title, Money amount, String ownerId, String source, LocalDate expectedCloseDate,
                         String company, String contact) {
}
