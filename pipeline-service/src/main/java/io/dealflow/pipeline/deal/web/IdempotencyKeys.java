package io.dealflow.pipeline.deal.web;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Remembers which deal a client's Idempotency-Key created, and with which request, for {@code ttl} (24 h by default).
 * Keys are per client (the token's subject): another client's equal key is another key.
 */
@Component
class IdempotencyKeys {

    record Claim(String requestHash, String dealId) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration ttl;
    private final int purgeBatch;

    IdempotencyKeys(JdbcTemplate jdbc, Clock clock, @Value("${dealflow.idempotency.ttl:24h}") Duration ttl,
                    @Value("${dealflow.idempotency.purge-batch:10000}") int purgeBatch) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.ttl = ttl;
        this.purgeBatch = purgeBatch;
    }

    Optional<Claim> find(String subject, String key) {
        return jdbc.query("select request_hash, deal_id from client_idempotency_key where subject in (?, '') and idem_key = ?"
                                + " and created_at > ? order by subject desc",
                        (rs, i) -> new Claim(rs.getString(1), rs.getString(2)), subject, key, expiredBefore())
                .stream().findFirst();
    }

    /** Claims the key inside the caller's transaction; false when another request of this client claimed it first. */
    boolean claim(String subject, String key, String requestHash, String dealId) {
        jdbc.update("delete from client_idempotency_key where subject = ? and idem_key = ? and created_at <= ?", subject, key, expiredBefore());
        try {
            jdbc.update("insert into client_idempotency_key (subject, idem_key, request_hash, deal_id, created_at) values (?, ?, ?, ?, ?)",
                    subject, key, requestHash, dealId, Timestamp.from(clock.instant()));
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /**
     * Deletes the expired keys a batch at a time, each batch its own short transaction: a day of keys at a high write
     * rate is millions of rows, which one statement would delete in one long transaction.
     */
    @Scheduled(fixedDelayString = "${dealflow.idempotency.purge-every:1h}", initialDelayString = "${dealflow.idempotency.purge-every:1h}")
    int purgeExpired() {
        Timestamp before = expiredBefore();
        int total = 0;
        int deleted;
        do {
            deleted = jdbc.update("delete from client_idempotency_key where (subject, idem_key) in (select subject, idem_key"
                    + " from client_idempotency_key where created_at <= ? limit ?)", before, purgeBatch);
            total += deleted;
        } while (deleted == purgeBatch);
        return total;
    }

    private Timestamp expiredBefore() {
        return Timestamp.from(clock.instant().minus(ttl));
    }

    static String hash(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
