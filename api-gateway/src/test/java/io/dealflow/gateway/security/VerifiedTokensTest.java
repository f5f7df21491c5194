package io.dealflow.gateway.security;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A token verified once is not verified again while it is valid; an expired or refused one never passes from memory. */
class VerifiedTokensTest {

    private final AtomicInteger verifications = new AtomicInteger();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T10:00:00Z"));
    private final Instant expiry = Instant.parse("2026-12-01T10:05:00Z");

    /** The real decoder's part: signature check and parsing; a token starting with "bad" has a wrong signature. */
    private final ReactiveJwtDecoder signatureCheck = token -> {
        verifications.incrementAndGet();
        if (token.startsWith("bad")) {
            return Mono.error(new BadJwtException("signature"));
        }
        return Mono.just(Jwt.withTokenValue(token).header("alg", "HS256").subject(token).expiresAt(expiry).build());
    };
    private final OAuth2TokenValidator<Jwt> notExpired = jwt -> now.get().isBefore(jwt.getExpiresAt())
            ? OAuth2TokenValidatorResult.success()
            : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "expired", null));
    private final ReactiveJwtDecoder checkedAndExpired = token -> signatureCheck.decode(token).flatMap(jwt ->
            notExpired.validate(jwt).hasErrors() ? Mono.error(new BadJwtException("expired")) : Mono.just(jwt));

    @Test
    void aValidTokenIsVerifiedOnceAndThenTakenFromMemory() {
        VerifiedTokens tokens = new VerifiedTokens(checkedAndExpired, notExpired, Duration.ofMinutes(1), 100);

        for (int i = 0; i < 5; i++) {
            assertThat(tokens.decode("alice-token").block().getSubject()).isEqualTo("alice-token");
        }
        assertThat(tokens.decode("bob-token").block().getSubject()).isEqualTo("bob-token");

        assertThat(verifications).hasValue(2);
    }

    @Test
    void aRememberedTokenIsRefusedOnceItExpires() {
        VerifiedTokens tokens = new VerifiedTokens(checkedAndExpired, notExpired, Duration.ofHours(1), 100);
        tokens.decode("alice-token").block();

        now.set(expiry.plusSeconds(1));

        assertThatThrownBy(() -> tokens.decode("alice-token").block()).isInstanceOf(BadJwtException.class).hasMessageContaining("expired");
        assertThatThrownBy(() -> tokens.decode("alice-token").block()).isInstanceOf(BadJwtException.class);
    }

    @Test
    void aRefusedTokenIsCheckedAgainEveryTime() {
        VerifiedTokens tokens = new VerifiedTokens(checkedAndExpired, notExpired, Duration.ofMinutes(1), 100);

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> tokens.decode("bad-token").block()).isInstanceOf(BadJwtException.class);
        }
        assertThat(verifications).hasValue(3);
    }
}
