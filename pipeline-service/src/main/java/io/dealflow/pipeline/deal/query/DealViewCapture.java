package io.dealflow.pipeline.deal.query;

import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The view a command leaves behind, folded from the events {@link DealViewProjection} applies to deal_view while the
 * command runs on this thread (the projection subscribes in the command's own transaction), so the command's answer
 * needs no read of the row it has just written.
 */
@Component
public class DealViewCapture {

    private final ThreadLocal<Capture> current = new ThreadLocal<>();

    /**
     * Runs the command and returns the deal's view after it: {@code before} (null for a creation) with the deal's events
     * applied. Empty when the command changed nothing or its events do not follow on from {@code before}: then only a
     * read shows the row as stored — {@code before} may be behind it, as another instance may have written the deal
     * after it was read (and a command that changed nothing may have found the deal as that instance left it).
     */
    public Optional<DealView> during(String dealId, DealView before, Runnable command) {
        return outcome(dealId, before, command).view();
    }

    /** As {@link #during}, and whether the command appended anything at all. */
    public Outcome outcome(String dealId, DealView before, Runnable command) {
        Capture capture = new Capture(dealId);
        current.set(capture);
        try {
            command.run();
        } finally {
            current.remove();
        }
        if (capture.events.isEmpty()) {
            return new Outcome(false, Optional.empty());
        }
        long expected = before == null ? 0 : before.version() + 1;
        if (capture.versions.get(0) != expected) {
            return new Outcome(true, Optional.empty());
        }
        return new Outcome(true, Optional.of(DealViewFold.after(before, capture.events, capture.versions)));
    }

    /** What a command did: whether it appended events, and the view after them when it follows from the view before. */
    public record Outcome(boolean appended, Optional<DealView> view) {
    }

    void applied(String dealId, Object event, long version) {
        Capture capture = current.get();
        if (capture != null && capture.dealId.equals(dealId)) {
            capture.events.add(event);
            capture.versions.add(version);
        }
    }

    private record Capture(String dealId, List<Object> events, List<Long> versions) {
        Capture(String dealId) {
            this(dealId, new ArrayList<>(2), new ArrayList<>(2));
        }
    }
}
