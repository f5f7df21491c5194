package io.dealflow.analytics.projection;

import java.time.Instant;

/** What a record on the topic turned out to be. */
public sealed interface DecodedEvent {

    /**
     * A known public event: {@code payload} is one of the {@code io.dealflow.events.v1} records, whose
     * {@code occurredAt} is its business time; {@code recordedAt} is when the store appended it (freshness).
     */
    record Known(String type, String subject, long sequence, Instant recordedAt, Object payload) implements DecodedEvent {
    }

    /** A well-formed CloudEvent of a type this version does not know (e.g. a newer one): skipped and counted. */
    record Unknown(String type) implements DecodedEvent {
    }

    /** A record that cannot be read: goes to the dead-letter topic with the reason. */
    record Poison(String reason) implements DecodedEvent {
    }
}
