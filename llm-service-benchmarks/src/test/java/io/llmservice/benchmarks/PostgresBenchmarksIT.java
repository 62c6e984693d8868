package io.llmservice.benchmarks;

import io.llmservice.spi.BudgetStanding;
import io.llmservice.spi.TelemetryStore;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PostgreSQL benchmarks measure what they say, against a real PostgreSQL: a pair is a granted
 * reservation and its settle (charged, nothing left live), and {@link LedgerProcesses} gets its figures
 * from client processes that each ran pairs.
 */
class PostgresBenchmarksIT {

    @Test
    void reserveAndSettle_postgres_chargesEachPairOnceAndLeavesNothingLive() {
        try (PostgresBench pg = PostgresBench.start("off"); TelemetryStore store = pg.open(4)) {
            AtomicLong ids = new AtomicLong();
            for (int i = 0; i < 50; i++) {
                BudgetLedgerBenchmark.reserveAndSettle(store.ledger(), "it-", ids);
            }

            BudgetStanding standing = store.ledger().standing("team:bench", "daily:2026-12-01", Instant.now());
            assertThat(standing.spentUsd()).isEqualByComparingTo(new BigDecimal("0.0042").multiply(BigDecimal.valueOf(50)));
            assertThat(standing.reservedUsd()).isEqualByComparingTo(BigDecimal.ZERO);
        }
    }

    @Test
    void ledgerProcesses_twoClients_eachPairCountedWithItsLatency() throws Exception {
        LedgerProcesses.Result r = LedgerProcesses.run(2, 2, "off", 1, 2);

        assertThat(r.pairs()).isPositive();
        assertThat(r.latencies().count()).isEqualTo(r.pairs());
        assertThat(r.latencies().percentile(99)).isGreaterThanOrEqualTo(r.latencies().percentile(50));
    }
}
