package io.dealflow.gateway.ratelimit;

import reactor.core.publisher.Mono;

/** Counts a client's requests in the current window; answers how many it has made so far, this one included. */
public interface RateLimitStore {

    Mono<Long> count(String client, long window);
}
