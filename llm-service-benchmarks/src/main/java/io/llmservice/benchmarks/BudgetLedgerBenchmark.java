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
 * Budget check-and-reserve followed by settle, per call (SPEC §6, §8), for the in-memory ledger of the
 * core, the H2 ledger of a file database and the PostgreSQL ledger of a real PostgreSQL 14 that the
 * benchmark starts itself ({@link PostgresBench}), with one thread and with eight threads contending for
 * the same hard budget and period (its row lock in the database). The limit is high enough that nothing
 * is refused, so every call is a reservation plus a settle: two transactions on a database.
 *
 * <ul>
 *   <li>{@code reserveAndSettle1Thread} / {@code reserveAndSettle8Threads}: one store, shared by the
 *       threads; for {@code postgres} its pool holds {@code poolSize} connections (default 4, the
 *       {@code pool_size} default), so 8 threads queue for 4 connections unless {@code -p poolSize=8}.</li>
 *   <li>{@code reserveAndSettle8Stores} ({@code postgres} only): each of the 8 threads opens its own
 *       store with its own pool, like 8 processes or hosts of a team would.</li>
 * </ul>
 *
 * <p>Run (PostgreSQL rows of docs/benchmarks.md: pairs per ms and p99 in one go):
 * <pre>{@code
 * java -jar llm-service-benchmarks/target/benchmarks.jar 'BudgetLedgerBenchmark.reserveAndSettle8' \
 *     -p store=postgres -bm thrpt,sample -tu ms
 * java -jar llm-service-benchmarks/target/benchmarks.jar 'BudgetLedgerBenchmark.reserveAndSettle(1Thread|8Threads)' \
 *     -p store=memory,h2 -wi 2 -i 3 -f 1
 * }</pre>
 * {@code -p fsync=on} runs PostgreSQL durable (fsync and full-page writes on); off by default, as in tests.
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
    private static final String BUDGET = "team:bench";
    private static final String PERIOD = "daily:2026-12-01";

    /** One ledger shared by every thread of the benchmark. */
    @State(Scope.Benchmark)
    public static class Ledger {
        @Param({"memory", "h2", "postgres"})
        public String store;

        /** PostgreSQL only: the pool of the one store all threads share. */
        @Param({"4"})
        public int poolSize;

        /** PostgreSQL only: {@code off} as in the tests (commits reach the kernel, not the disk), {@code on} durable. */
        @Param({"off"})
        public String fsync;

        Path dir;
        PostgresBench pg;
        TelemetryStore opened;
        BudgetLedger ledger;
        final AtomicLong requests = new AtomicLong();

        @Setup(Level.Trial)
        public void open() throws IOException {
            switch (store) {
                case "memory" -> ledger = new InMemoryBudgetLedger();
                case "h2" -> {
                    dir = Files.createTempDirectory("llm-ledger-bench");
                    opened = new H2TelemetryStoreProvider().open(TelemetrySettings.builder().store("h2")
                            .path(dir.resolve("telemetry")).privacy(Privacy.METADATA).build(), Clock.systemUTC());
                    ledger = opened.ledger();
                }
                case "postgres" -> {
                    pg = PostgresBench.start(fsync);
                    opened = pg.open(poolSize);
                    ledger = opened.ledger();
                }
                default -> throw new IllegalArgumentException("store '" + store + "': use memory, h2 or postgres");
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            if (opened != null) {
                opened.close();
            }
            if (pg != null) {
                pg.close();
            }
            if (dir != null) {
                TelemetryStoreBenchmark.delete(dir);
            }
        }
    }

    /** PostgreSQL shared by the 8 threads of {@code reserveAndSettle8Stores}, each with its own store. */
    @State(Scope.Benchmark)
    public static class Server {
        /** The pool of each thread's own store. */
        @Param({"4"})
        public int poolSize;

        @Param({"off"})
        public String fsync;

        PostgresBench pg;
        final AtomicLong requests = new AtomicLong();

        @Setup(Level.Trial)
        public void start() {
            pg = PostgresBench.start(fsync);
        }

        @TearDown(Level.Trial)
        public void stop() {
            pg.close();
        }
    }

    /** One thread's own store (own pool, own writer) on the shared server. */
    @State(Scope.Thread)
    public static class OwnStore {
        TelemetryStore store;
        BudgetLedger ledger;

        @Setup(Level.Trial)
        public void open(Server server) {
            store = server.pg.open(server.poolSize);
            ledger = store.ledger();
        }

        @TearDown(Level.Trial)
        public void close() {
            store.close();
        }
    }

    @Benchmark
    @Threads(1)
    public void reserveAndSettle1Thread(Ledger l) {
        reserveAndSettle(l.ledger, "b", l.requests);
    }

    @Benchmark
    @Threads(8)
    public void reserveAndSettle8Threads(Ledger l) {
        reserveAndSettle(l.ledger, "b", l.requests);
    }

    @Benchmark
    @Threads(8)
    public void reserveAndSettle8Stores(Server server, OwnStore own) {
        reserveAndSettle(own.ledger, "b", server.requests);
    }

    /** One reservation (request id {@code prefix} + a number) and its settle; fails when refused. */
    static void reserveAndSettle(BudgetLedger ledger, String prefix, AtomicLong requests) {
        Instant now = Instant.now();
        ReservationOutcome out = ledger.reserve(new ReservationRequest(BUDGET, PERIOD, LIMIT, true,
                ESTIMATE, prefix + requests.incrementAndGet(), now, now.plus(Duration.ofMinutes(10))));
        ledger.settle(out.reservationId().orElseThrow(() -> new IllegalStateException("refused: " + out)), ACTUAL);
    }
}
