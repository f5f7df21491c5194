package io.dealflow.gateway.ratelimit;

import reactor.core.publisher.Mono;

/**
 * A token bucket per client: {@code limit} requests of credit that refills at {@code limit} per {@code window}, so a
 * client gets its limit in any window and never twice its limit across a window's edge.
 */
interface ClientLimiter {

    /** Takes one request's worth of credit for the client, if there is enough. */
    Mono<Decision> take(String client);

    /** {@code remaining}: requests the client may still make right now; -1 when the store could not be asked. */
    record Decision(boolean allowed, long remaining) {

        /** The store did not answer: the request is let through unchecked. */
        static Decision unchecked() {
            return new Decision(true, -1);
        }

        boolean checked() {
            return remaining >= 0;
        }
    }
}
