package io.dealflow.pipeline.deal;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;

/** Remembers which deal an Idempotency-Key created, and with which request body. */
@Component
class IdempotencyKeys {

    record Claim(String requestHash, String dealId) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    IdempotencyKeys(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    Optional<Claim> find(String key) {
        return jdbc.query("select request_hash, deal_id from idempotency_key where idem_key = ?",
                (rs, i) -> new Claim(rs.getString(1), rs.getString(2)), key).stream().findFirst();
    }

    /** Claims the key inside the caller's transaction; false when another request claimed it first. */
    boolean claim(String key, String requestHash, String dealId) {
        try {
            jdbc.update("insert into idempotency_key (idem_key, request_hash, deal_id, created_at) values (?, ?, ?, ?)",
                    key, requestHash, dealId, Timestamp.from(clock.instant()));
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    static String hash(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
