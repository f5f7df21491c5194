package io.dealflow.pipeline.config;

import org.axonframework.common.IdentifierFactory;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Event and message ids as time-ordered UUIDs (version 7: milliseconds since 1970, then a counter, then random
 * bits). Stored events are unique by id; random ids scatter every append over the whole index, ordered ones append
 * at its end. Axon finds this factory through {@code META-INF/services}.
 */
public class TimeOrderedIdentifierFactory extends IdentifierFactory {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Milliseconds in the upper bits, a 12-bit counter below: strictly increasing within this process. */
    private static final AtomicLong LAST = new AtomicLong();

    @Override
    public String generateIdentifier() {
        return next().toString();
    }

    public static UUID next() {
        long stamp = LAST.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis() << 12));
        long millis = stamp >>> 12;
        long counter = stamp & 0xFFF;
        long high = (millis << 16) | 0x7000L | counter;
        long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }
}
