package io.llmservice.benchmarks;

import io.llmservice.config.Privacy;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.core.internal.telemetry.InMemoryBudgetLedger;
import io.llmservice.spi.BudgetLedger;
import io.llmservice.spi.ReservationOutcome;
import io.llmservice.spi.ReservationRequest;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.telemetry.h2.internal.H2TelemetryStoreProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Budget check-and-reserve followed by settle, per call (SPEC §6 / issue 4), for the in-memory
 * ledger of the core and the H2 ledger of a file database, with one thread and with eight threads
 * contending for the same hard budget and period (its row lock, in H2). The limit is high enough
 * that nothing is refused, so every call is a reservation plus a settle.
 *
 * <p>Run: {@code java -jar llm-service-benchmarks/target/benchmarks.jar BudgetLedgerBenchmark -wi 2 -i 3 -f 1}
 */
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BudgetLedgerBenchmark {
    private static final BigDecimal LIMIT = new BigDecimal("1000000000");
    private static final BigDecimal ESTIMATE = new BigDecimal("0.0050");
    private static final BigDecimal ACTUAL = new BigDecimal("0.0042");

    @State(Scope.Benchmark)
    public static class Ledger {
        @Param({"memory", "h2"})
        public String store;

        Path dir;
        TelemetryStore h2;
        BudgetLedger ledger;
        final AtomicLong requests = new AtomicLong();

        @Setup(Level.Trial)
        public void open() throws IOException {
            if (store.equals("memory")) {
                ledger = new InMemoryBudgetLedger();
            } else {
                dir = Files.createTempDirectory("llm-ledger-bench");
                h2 = new H2TelemetryStoreProvider().open(TelemetrySettings.builder().store("h2")
                        .path(dir.resolve("telemetry")).privacy(Privacy.METADATA).build(), Clock.systemUTC());
                ledger = h2.ledger();
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            if (h2 != null) {
                h2.close();
                TelemetryH2Benchmark.delete(dir);
            }
        }
    }

    @Benchmark
    @Threads(1)
    public void reserveAndSettle1Thread(Ledger l) {
        reserveAndSettle(l);
    }

    @Benchmark
    @Threads(8)
    public void reserveAndSettle8Threads(Ledger l) {
        reserveAndSettle(l);
    }

    private static void reserveAndSettle(Ledger l) {
        Instant now = Instant.now();
        ReservationOutcome out = l.ledger.reserve(new ReservationRequest("team:bench", "daily:2026-12-01", LIMIT, true,
                ESTIMATE, "b" + l.requests.incrementAndGet(), now, now.plus(Duration.ofMinutes(10))));
        l.ledger.settle(out.reservationId().orElseThrow(() -> new IllegalStateException("refused: " + out)), ACTUAL);
    }
}
