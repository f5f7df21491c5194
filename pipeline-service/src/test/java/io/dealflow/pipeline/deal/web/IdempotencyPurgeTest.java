package io.dealflow.pipeline.deal.web;

import io.dealflow.pipeline.support.IntegrationTest;
import io.dealflow.pipeline.support.MutableClock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.test.context.TestPropertySource;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hourly purge deletes every expired key, a few per transaction, and leaves the live ones. */
@Import(MutableClock.Config.class)
@TestPropertySource(properties = {"dealflow.idempotency.ttl=24h", "dealflow.idempotency.purge-batch=3"})
class IdempotencyPurgeTest extends IntegrationTest {

    @Autowired
    IdempotencyKeys keys;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MutableClock clock;
    @Autowired
    ThreadPoolTaskScheduler scheduler;

    @Test
    void expiredKeysGoInBatchesAndLiveOnesStay() {
        jdbc.update("delete from client_idempotency_key");
        for (int i = 0; i < 8; i++) {
            keep("old-" + i);
        }
        clock.advance(Duration.ofHours(25));
        keep("new-1");
        keep("new-2");

        // 8 expired keys in batches of 3: 3 + 3 + 2
        assertEquals(8, keys.purgeExpired());
        assertEquals(2, jdbc.queryForObject("select count(*) from client_idempotency_key", Integer.class));
        assertEquals(0, jdbc.queryForObject("select count(*) from client_idempotency_key where idem_key like 'old-%'", Integer.class));
        assertEquals(0, keys.purgeExpired(), "nothing left to purge");
    }

    @Test
    void aLongScheduledTaskDoesNotHoldUpTheOthers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(1);
        scheduler.execute(() -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            scheduler.execute(ran::countDown);
            assertTrue(ran.await(10, TimeUnit.SECONDS), "a second task runs while the first is still busy");
        } finally {
            release.countDown();
        }
    }

    private void keep(String key) {
        jdbc.update("insert into client_idempotency_key (subject, idem_key, request_hash, deal_id, created_at) values (?, ?, ?, ?, ?)",
                "purge-test", key, "hash", "deal-" + key, Timestamp.from(clock.instant()));
    }
}
