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
     * applied, or {@code before} itself when the command changed nothing. Empty when the events do not follow on from
     * {@code before} (another instance wrote the deal in between): then only a read shows the row as stored.
     */
    public Optional<DealView> during(String dealId, DealView before, Runnable command) {
        Capture capture = new Capture(dealId);
        current.set(capture);
        try {
            command.run();
        } finally {
            current.remove();
        }
        if (capture.events.isEmpty()) {
            return Optional.ofNullable(before);
        }
        long expected = before == null ? 0 : before.version() + 1;
        if (capture.versions.get(0) != expected) {
            return Optional.empty();
        }
        return Optional.of(DealViewFold.after(before, capture.events, capture.versions));
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
