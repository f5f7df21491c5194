package io.dealflow.gateway.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

import java.time.Duration;

/**
 * Bearer tokens already verified, for a short while: a client sends the same token with every request until it expires,
 * and checking its signature and parsing its claims each time was a seventh of the gateway's CPU per request (more
 * with an identity provider's RSA or EC keys). A remembered token is checked again against the validators (expiry, not
 * before, issuer, audience) on every use, so it is refused the moment it expires; only its signature check is reused, for
 * at most {@code ttl} — as long as a key the identity provider withdrew can stay in the JWK set's own cache. Refused
 * tokens are never remembered.
 */
final class VerifiedTokens implements ReactiveJwtDecoder {

    private final ReactiveJwtDecoder decoder;
    private final OAuth2TokenValidator<Jwt> validator;
    private final Cache<String, Jwt> verified;

    VerifiedTokens(ReactiveJwtDecoder decoder, OAuth2TokenValidator<Jwt> validator, Duration ttl, long maxTokens) {
        this.decoder = decoder;
        this.validator = validator;
        this.verified = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxTokens).build();
    }

    @Override
    public Mono<Jwt> decode(String token) {
        Jwt known = verified.getIfPresent(token);
        if (known != null) {
            if (!validator.validate(known).hasErrors()) {
                return Mono.just(known);
            }
            // no longer valid: the decoder refuses it with the reason
            verified.invalidate(token);
        }
        return decoder.decode(token).doOnNext(jwt -> verified.put(token, jwt));
    }
}
