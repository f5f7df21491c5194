package io.dealflow.pipeline.deal.web;

import io.dealflow.pipeline.deal.Money;

import java.math.BigDecimal;
import java.time.LocalDate;

/** Request bodies of the deal endpoints. */
final class DealRequests {

    private DealRequests() {
    }

    record MoneyBody(BigDecimal value, String currency) {
        Money toMoney() {
            return Money.of(value, currency);
        }
    }

    record CreateDealBody(String title, MoneyBody amount, String ownerId, String source, String pipelineId,
                          String stageId, LocalDate expectedCloseDate, String company, String contact) {
    }

    record MoveBody(String stageId) {
    }

    record LossBody(String reason, String note) {
    }

    record ReopenBody(String stageId) {
    }

    record ActivityBody(String kind, String note) {
    }
}
