package io.llmservice.core.internal.pipeline;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class PendingSettlementsTest {
    private static final RuntimeException DOWN = new IllegalStateException("Connection to db:5432 refused");

    @Test
    void retry_failsTwiceThenLands_inTheBackground() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        try (PendingSettlements pending = new PendingSettlements("postgres at jdbc:postgresql://db/llm",
                Duration.ofMillis(10), Duration.ofSeconds(5))) {
            pending.retry("settle", "team", () -> {
                if (tries.incrementAndGet() <= 2) {
                    throw DOWN;
                }
            }, DOWN);

            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (pending.size() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(pending.size()).isZero();
            assertThat(tries).as("two failed retries, then the one that landed; no more").hasValue(3);
        }
    }

    @Test
    void close_triesEachPendingOnceMore() {
        AtomicInteger tries = new AtomicInteger();
        PendingSettlements pending = new PendingSettlements("memory", Duration.ofHours(1), Duration.ofSeconds(5));
        pending.retry("release", "team", tries::incrementAndGet, DOWN);
        assertThat(tries).as("no background try within the hour's delay").hasValue(0);

        pending.close();

        assertThat(tries).hasValue(1);
        assertThat(pending.size()).isZero();
    }

    @Test
    void close_isBounded_evenWhenATryHangsOnADeadServer() {
        CountDownLatch never = new CountDownLatch(1);
        PendingSettlements pending = new PendingSettlements("memory", Duration.ofHours(1), Duration.ofMillis(200));
        pending.retry("settle", "team", () -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, DOWN);

        assertTimeoutPreemptively(Duration.ofSeconds(60), pending::close);

        assertThat(pending.size()).as("still pending: its reservation is charged at expiry").isEqualTo(1);
        never.countDown();
    }

    @Test
    void retry_afterClose_isNotKept_andNotRun() {
        AtomicInteger tries = new AtomicInteger();
        PendingSettlements pending = new PendingSettlements("memory");
        pending.close();

        pending.retry("settle", "team", tries::incrementAndGet, DOWN);

        assertThat(pending.size()).isZero();
        assertThat(tries).hasValue(0);
    }
}
