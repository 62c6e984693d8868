package io.llmservice.telemetry.h2.internal;

import io.llmservice.CostSource;
import io.llmservice.LlmRequest;
import io.llmservice.LlmService;
import io.llmservice.Outcome;
import io.llmservice.RateLimitedException;
import io.llmservice.Usage;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.ReservationOutcome;
import io.llmservice.spi.ReservationRequest;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * A separate JVM using a store, for the multi-process and crash tests. Modes:
 * {@code hammer <path> <limit> <amount> <tries>} reserves and settles, printing {@code granted N};
 * {@code write <path> <prefix>} records in a loop, printing {@code flushed N} after each flush;
 * {@code reserve <path> <budget> <expiresSeconds>} reserves once, prints {@code reserved} and waits to be killed;
 * {@code route <config.yaml> <calls> <instant>} builds a service from the YAML with its clock fixed at
 * {@code instant}, prints {@code ready}, waits for a line on stdin, then executes {@code calls} requests
 * of agent {@code worker} and prints {@code ran N limited M}.
 */
public final class ChildProcessMain {
    private ChildProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[1]);
        switch (args[0]) {
            case "hammer" -> hammer(path, new BigDecimal(args[2]), new BigDecimal(args[3]), Integer.parseInt(args[4]));
            case "write" -> write(path, args[2]);
            case "reserve" -> reserve(path, args[2], Integer.parseInt(args[3]));
            case "route" -> route(path, Integer.parseInt(args[2]), Instant.parse(args[3]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void hammer(Path path, BigDecimal limit, BigDecimal amount, int tries) {
        int granted = 0;
        try (H2TelemetryStore store = H2TelemetryStore.open(path, Clock.systemUTC())) {
            for (int i = 0; i < tries; i++) {
                Instant now = Instant.now();
                ReservationOutcome o = store.ledger().reserve(new ReservationRequest("shared", "daily:test", limit, true,
                        amount, "child-" + ProcessHandle.current().pid() + "-" + i, now, now.plusSeconds(600)));
                if (o.granted()) {
                    granted++;
                    store.ledger().settle(o.reservationId().get(), amount);
                }
            }
        }
        System.out.println("granted " + granted);
    }

    private static void write(Path path, String prefix) {
        H2TelemetryStore store = H2TelemetryStore.open(path, Clock.systemUTC());
        long n = 0;
        while (true) {
            for (int i = 0; i < 200; i++) {
                store.record(record(prefix + "-" + n++));
            }
            store.flush();
            System.out.println("flushed " + n);
            System.out.flush();
        }
    }

    private static void reserve(Path path, String budget, int expiresSeconds) throws InterruptedException {
        H2TelemetryStore store = H2TelemetryStore.open(path, Clock.systemUTC());
        Instant now = Instant.now();
        store.ledger().reserve(new ReservationRequest(budget, "daily:test", BigDecimal.ONE, true, BigDecimal.ONE,
                "doomed", now, now.plusSeconds(expiresSeconds)));
        System.out.println("reserved");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void route(Path config, int calls, Instant at) throws Exception {
        try (LlmService llm = LlmService.builder().config(config).clock(Clock.fixed(at, ZoneOffset.UTC)).build()) {
            System.out.println("ready");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            int ran = 0;
            int limited = 0;
            for (int i = 0; i < calls; i++) {
                try {
                    llm.route(LlmRequest.builder("hello " + i).agent("worker").build()).execute();
                    ran++;
                } catch (RateLimitedException e) {
                    limited++;
                }
            }
            System.out.println("ran " + ran + " limited " + limited);
        }
    }

    static InvocationRecord record(String requestId) {
        return InvocationRecord.builder().requestId(requestId).attempt(1).startedAt(Instant.now()).agent("agent")
                .team("team").tool("tool").model("model").outcome(Outcome.SUCCESS).exitCode(0)
                .usage(Usage.of(100, 20, 0, 0)).costUsd(new BigDecimal("0.001")).costSource(CostSource.COMPUTED)
                .latency(Duration.ofMillis(5)).build();
    }
}
