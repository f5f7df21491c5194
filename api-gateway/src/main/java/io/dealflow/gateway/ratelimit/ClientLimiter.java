package io.dealflow.gateway.ratelimit;

import reactor.core.publisher.Mono;

/**
 * A token bucket per client: {@code limit} requests of credit that refills at {@code limit} per {@code window}, so a
 * client gets its limit in any window and never twice its limit across a window's edge.
 */
interface ClientLimiter {

    /** Takes one request's worth of credit for the client, if there is enough. */
    Mono<Decision> take(String client);

    /** {@code remaining}: requests the client may still make right now. */
    record Decision(boolean allowed, long remaining) {
    }
}
