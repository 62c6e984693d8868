package io.llmservice.benchmarks;

import io.llmservice.config.Secret;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.BudgetLedger;
import io.llmservice.spi.LatencyHistogram;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.telemetry.postgres.internal.PostgresTelemetryStoreProvider;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reserve + settle pairs on PostgreSQL from separate processes, the "8 clients" as a team has them
 * (SPEC §8: ≥ 500 pairs/s): starts a PostgreSQL ({@link PostgresBench}), then {@code clients} JVMs of this
 * jar, each opening its own store (its own pool of {@code poolSize}) through the provider and running
 * pairs on one thread against the same hard budget and period ({@link BudgetLedgerBenchmark}'s pair).
 * They warm up, then all measure over the same wall-clock window; each reports its count and its
 * latencies ({@link LatencyHistogram}, the project's one percentile implementation: within 2.2 %), and
 * this process prints pairs/s over all clients and the merged p50/p99.
 *
 * <p>Not JMH: JMH runs threads of one JVM, which share one class of everything (JIT, GC, pool).
 *
 * <pre>{@code
 * java -cp llm-service-benchmarks/target/benchmarks.jar io.llmservice.benchmarks.LedgerProcesses [clients] [poolSize] [fsync on|off] [warmup s] [measure s]
 * }</pre>
 * Defaults: 8 clients, pool 4, fsync off, 10 s warm-up, 10 s measured. The password reaches the clients
 * in {@code PGPASSWORD}, never on a command line.
 */
public final class LedgerProcesses {
    private static final String RESULT = "RESULT ";
    private static final String READY = "READY";

    private LedgerProcesses() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--client")) {
            client(args);
            return;
        }
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int poolSize = args.length > 1 ? Integer.parseInt(args[1]) : TelemetrySettings.DEFAULT_POOL_SIZE;
        String fsync = args.length > 2 ? args[2] : "off";
        int warmupSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int measureSeconds = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        Result r = run(clients, poolSize, fsync, warmupSeconds, measureSeconds);
        System.out.printf("%d client processes, pool_size %d, fsync=%s: %,d pairs in %d s = %,.0f pairs/s;"
                        + " p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms (%,d samples)%n", clients, poolSize, fsync, r.pairs(),
                measureSeconds, r.pairs() / (double) measureSeconds, millis(r.latencies().percentile(50)),
                millis(r.latencies().percentile(99)), millis(r.latencies().percentile(99.9)), r.latencies().count());
    }

    /** What the clients measured together: pairs in the window and each pair's latency. */
    record Result(long pairs, LatencyHistogram latencies) {
    }

    /** Starts PostgreSQL and the clients, measures, stops everything it started. */
    static Result run(int clients, int poolSize, String fsync, int warmupSeconds, int measureSeconds)
            throws IOException, InterruptedException {
        try (PostgresBench pg = PostgresBench.start(fsync)) {
            TelemetrySettings settings = pg.settings(poolSize);
            // One store opened first makes the schema, so the clients do not all migrate at once.
            pg.open(poolSize).close();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String classPath = System.getProperty("java.class.path");
            List<Process> processes = new ArrayList<>();
            try {
                return measure(processes, clients, java, classPath, settings, poolSize, warmupSeconds, measureSeconds);
            } finally {
                for (Process p : processes) {
                    p.destroyForcibly(); // only those still running: a failed run leaves none behind
                }
            }
        }
    }

    private static Result measure(List<Process> processes, int clients, String java, String classPath,
                                  TelemetrySettings settings, int poolSize, int warmupSeconds, int measureSeconds)
            throws IOException, InterruptedException {
        for (int i = 0; i < clients; i++) {
            ProcessBuilder pb = new ProcessBuilder(java, "-cp", classPath, LedgerProcesses.class.getName(),
                    "--client", settings.url().orElseThrow(), settings.user().orElseThrow(),
                    Integer.toString(poolSize), Integer.toString(warmupSeconds), "p" + i + "-")
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().put("PGPASSWORD", settings.password().orElseThrow().reveal());
            processes.add(pb.start());
        }
        // Each client opens its store and warms up, says READY and waits; then all measure over the
        // same wall-clock window (a JVM takes seconds to start on a loaded machine, each its own).
        List<BufferedReader> outs = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            BufferedReader out = new BufferedReader(new InputStreamReader(processes.get(i).getInputStream(),
                    StandardCharsets.UTF_8));
            outs.add(out);
            readUntil(out, READY, i);
        }
        long measureFrom = System.currentTimeMillis() + 1_000;
        long measureTo = measureFrom + measureSeconds * 1000L;
        for (Process p : processes) {
            p.getOutputStream().write((measureFrom + " " + measureTo + "\n").getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().flush();
        }
        long pairs = 0;
        LatencyHistogram.Builder all = LatencyHistogram.builder();
        for (int i = 0; i < clients; i++) {
            Process p = processes.get(i);
            String result = readUntil(outs.get(i), RESULT, i);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("client " + i + " did not exit cleanly; its errors are above");
            }
            String[] parts = result.split(" ");
            pairs += Long.parseLong(parts[0]);
            all.add(LatencyHistogram.fromBytes(HexFormat.of().parseHex(parts[1])));
        }
        return new Result(pairs, all.build());
    }

    /** Echoes client {@code i}'s lines until one starts with {@code marker}; returns the rest of that line. */
    private static String readUntil(BufferedReader out, String marker, int i) throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(marker)) {
                return line.substring(marker.length());
            }
            System.out.println("client " + i + ": " + line);
        }
        throw new IllegalStateException("client " + i + " ended before " + marker.strip() + "; its errors are above");
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }

    /** One client: warms up, says READY, reads the window from stdin, counts the pairs that start in it. */
    private static void client(String[] args) throws IOException {
        String url = args[1];
        String user = args[2];
        int poolSize = Integer.parseInt(args[3]);
        long warmupNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[4]));
        String prefix = args[5];
        TelemetrySettings settings = TelemetrySettings.builder().store(PostgresTelemetryStoreProvider.TYPE).url(url)
                .user(user).password(Secret.fromVariable("PGPASSWORD", System.getenv("PGPASSWORD")))
                // Connections are not what is measured: 8 JVMs starting at once on a loaded 2-core machine
                // can take longer than the default 5 s for their first (SCRAM) logins.
                .poolSize(poolSize).connectTimeout(Duration.ofSeconds(60)).build();
        AtomicLong ids = new AtomicLong();
        try (TelemetryStore store = new PostgresTelemetryStoreProvider().open(settings, Clock.systemUTC())) {
            BudgetLedger ledger = store.ledger();
            for (long start = System.nanoTime(); System.nanoTime() - start < warmupNanos; ) {
                BudgetLedgerBenchmark.reserveAndSettle(ledger, prefix, ids);
            }
            System.out.println(READY);
            System.out.flush();
            String[] window = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine()
                    .split(" ");
            long measureFrom = Long.parseLong(window[0]);
            long measureTo = Long.parseLong(window[1]);
            while (System.currentTimeMillis() < measureFrom) {
                BudgetLedgerBenchmark.reserveAndSettle(ledger, prefix, ids);
            }
            LatencyHistogram.Builder latencies = LatencyHistogram.builder();
            long pairs = 0;
            while (System.currentTimeMillis() < measureTo) {
                long t0 = System.nanoTime();
                BudgetLedgerBenchmark.reserveAndSettle(ledger, prefix, ids);
                latencies.record(Duration.ofNanos(System.nanoTime() - t0));
                pairs++;
            }
            System.out.println(RESULT + pairs + " " + HexFormat.of().formatHex(latencies.build().toBytes()));
        }
    }
}
