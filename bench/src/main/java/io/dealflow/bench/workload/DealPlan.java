package io.dealflow.bench.workload;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** One synthetic deal and everything that will happen to it, in order. */
public record DealPlan(String title, BigDecimal amount, String currency, String ownerId, String source, String company,
                       String contact, LocalDate expectedCloseDate, Instant createdAt, List<Step> steps) {

    /** The deal as it stands at {@code at}: what happens later has not happened yet. */
    public DealPlan asOf(Instant at) {
        return new DealPlan(title, amount, currency, ownerId, source, company, contact, expectedCloseDate, createdAt,
                steps.stream().filter(step -> !step.at().isAfter(at)).toList());
    }

    /** Something that happens to the deal at {@code at}. */
    public sealed interface Step {
        Instant at();
    }

    public record Move(String stageId, Instant at) implements Step {
    }

    public record Activity(String kind, Instant at) implements Step {
    }

    public record Win(Instant at) implements Step {
    }

    public record Lose(String reason, Instant at) implements Step {
    }
}
