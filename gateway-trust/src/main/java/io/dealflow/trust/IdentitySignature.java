package io.dealflow.trust;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * The channel between the gateway and the services. The gateway signs the identity it relays, together with the
 * request's method and path and the time, with a secret only it and the services hold (HMAC-SHA256); a service
 * believes the subject and scopes headers only when the signature matches and is fresh. A request that did not come
 * through the gateway has no valid signature, and a captured one cannot be reused for another caller, path or
 * method, nor after {@code maxAge}.
 */
public final class IdentitySignature {

    public static final String SUBJECT_HEADER = "X-DealFlow-Subject";
    public static final String SCOPES_HEADER = "X-DealFlow-Scopes";
    public static final String SIGNATURE_HEADER = "X-DealFlow-Signature";
    public static final int MIN_SECRET_LENGTH = 32;

    private final SecretKeySpec key;
    private final Clock clock;
    private final Duration maxAge;

    public IdentitySignature(String secret, Clock clock, Duration maxAge) {
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalStateException("DEALFLOW_GATEWAY_SECRET must be set to at least " + MIN_SECRET_LENGTH
                    + " characters, the same value on the gateway and on every service");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.clock = clock;
        this.maxAge = maxAge;
    }

    /** The signature header's value for a request with this method, raw path (no query) and identity. */
    public String sign(String method, String rawPath, String subject, String scopes) {
        long seconds = clock.instant().getEpochSecond();
        return seconds + "." + mac(seconds, method, rawPath, subject, scopes);
    }

    /** The identity, when the signature is the gateway's, for this very request, and fresh; empty otherwise. */
    public Optional<RelayedIdentity> verify(String method, String rawPath, String subject, String scopes, String signature) {
        if (signature == null || subject == null || subject.isBlank()) {
            return Optional.empty();
        }
        int dot = signature.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        long seconds;
        try {
            seconds = Long.parseLong(signature.substring(0, dot));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        long age = clock.instant().getEpochSecond() - seconds;
        if (Math.abs(age) > maxAge.toSeconds()) {
            return Optional.empty();
        }
        byte[] expected = mac(seconds, method, rawPath, subject, scopes).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = signature.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual) ? Optional.of(RelayedIdentity.of(subject, scopes)) : Optional.empty();
    }

    private String mac(long seconds, String method, String rawPath, String subject, String scopes) {
        String signed = String.join("\n", Long.toString(seconds), method, rawPath, subject, scopes == null ? "" : scopes);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
