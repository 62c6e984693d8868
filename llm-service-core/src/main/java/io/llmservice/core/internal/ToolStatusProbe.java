package io.llmservice.core.internal;

import io.llmservice.Ticker;
import io.llmservice.ToolStatus;
import io.llmservice.config.OsFamily;
import io.llmservice.config.ToolDefinition;
import io.llmservice.core.internal.exec.ChildEnvironment;
import io.llmservice.core.internal.exec.ProcessResult;
import io.llmservice.core.internal.exec.ProcessRunner;
import io.llmservice.core.internal.exec.ProcessSpec;
import io.llmservice.core.internal.exec.ProcessStartException;
import io.llmservice.spi.Availability;
import io.llmservice.spi.CancellationSignal;
import io.llmservice.spi.Redactor;
import io.llmservice.spi.ToolAdapter;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Answers {@code LlmService.tools()}: for each configured tool, its adapter's availability (for a
 * command-line tool, the binary found the way a call finds it) and, for a command-line tool that
 * was found, the version it prints for its {@code version_args}. The version command runs through
 * the {@link ProcessRunner} with the child environment a call gets ({@link ChildEnvironment}: the
 * minimal one plus the tool's {@code env:}), stdin empty, with a short timeout; the first non-blank
 * line of stdout (else stderr) is the version.
 *
 * <pre>{@code
 * ToolStatusProbe probe = new ToolStatusProbe(config.tools(), adapters, environment, os, ticker, redactor);
 * List<ToolStatus> statuses = probe.statuses();
 * probe.close();   // from the service's close(): kills version commands still running
 * }</pre>
 *
 * <p>Thread-safe; one runner serves every probe, and {@link #close()} kills what still runs.
 */
final class ToolStatusProbe {
    /** How long a version command may run. */
    static final Duration VERSION_TIMEOUT = Duration.ofSeconds(5);
    /** A version is one line; more output than this is not read. */
    private static final long MAX_VERSION_OUTPUT_BYTES = 64 * 1024;

    private final List<ToolDefinition> tools;
    private final Map<String, ToolAdapter> adapters;
    private final Map<String, String> environment;
    private final OsFamily os;
    private final Ticker ticker;
    private final Duration timeout;
    private final Redactor redactor;
    /** One runner for every probe, so that {@link #close()} can kill what still runs. */
    private final ProcessRunner runner;

    /** @param redactor masks secrets in the version line: the command runs with the tool's {@code env:} */
    ToolStatusProbe(Map<String, ToolDefinition> tools, Map<String, ToolAdapter> adapters,
                    Map<String, String> environment, OsFamily os, Ticker ticker, Redactor redactor) {
        this(tools, adapters, environment, os, ticker, VERSION_TIMEOUT, redactor);
    }

    ToolStatusProbe(Map<String, ToolDefinition> tools, Map<String, ToolAdapter> adapters,
                    Map<String, String> environment, OsFamily os, Ticker ticker, Duration timeout,
                    Redactor redactor) {
        this.redactor = Objects.requireNonNull(redactor, "redactor");
        this.tools = List.copyOf(tools.values());
        this.adapters = Map.copyOf(adapters);
        this.environment = Map.copyOf(environment);
        this.os = Objects.requireNonNull(os, "os");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.runner = new ProcessRunner(ticker);
    }

    /**
     * Every tool's status, in configuration order. The tools are probed concurrently on threads of
     * this call's own (not the caller's executor, which may be busy with the very task calling this).
     */
    List<ToolStatus> statuses() {
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "llm-service-tools-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            List<CompletableFuture<ToolStatus>> probes = new ArrayList<>();
            for (ToolDefinition tool : tools) {
                probes.add(CompletableFuture.supplyAsync(() -> status(tool, runner), pool));
            }
            return probes.stream().map(BackgroundTask::join).toList();
        } finally {
            pool.shutdown();
        }
    }

    /** Kills the version commands still running; their probes report them as interrupted. */
    void close() {
        runner.killAll();
    }

    ToolStatus status(ToolDefinition tool, ProcessRunner runner) {
        Availability availability = availability(tool.name());
        ToolStatus.Builder status = ToolStatus.builder(tool.name()).available(availability.installed())
                .detail(availability.detail());
        availability.resolvedPath().ifPresent(status::binary);
        Optional<Path> binary = availability.resolvedPath();
        if (!availability.installed() || binary.isEmpty() || !tool.type().equals("cli")) {
            return status.build();
        }
        if (tool.versionArgs().isEmpty()) {
            return status.detail(availability.detail() + "; no version_args, so the version is unknown").build();
        }
        List<String> command = new ArrayList<>();
        command.add(binary.get().toString());
        command.addAll(tool.versionArgs());
        String shown = String.join(" ", tool.versionArgs());
        ProcessResult result;
        try {
            result = runner.run(ProcessSpec.builder(command)
                    .environment(ChildEnvironment.build(os, environment, tool.env()))
                    .stdin(new byte[0])
                    .timeout(timeout)
                    .maxOutputBytes(MAX_VERSION_OUTPUT_BYTES)
                    .build(), CancellationSignal.none());
        } catch (ProcessStartException e) {
            return status.detail(availability.detail() + "; version unknown: " + e.getMessage()).build();
        }
        return switch (result.termination()) {
            case TIMED_OUT -> status.detail(availability.detail() + "; version unknown: '" + shown
                    + "' did not finish within " + timeout.toMillis() + " ms and was killed").build();
            case CANCELLED, INTERRUPTED -> status.detail(availability.detail()
                    + "; version unknown: interrupted").build();
            case EXITED -> result.exitCode() != 0
                    ? status.detail(availability.detail() + "; version unknown: '" + shown + "' exited with "
                            + result.exitCode()).build()
                    : firstLine(result.stdout()).or(() -> firstLine(result.stderr()))
                            .map(line -> status.version(redactor.redact(line)).build())
                            .orElseGet(() -> status.detail(availability.detail() + "; version unknown: '" + shown
                                    + "' printed nothing").build());
        };
    }

    private Availability availability(String tool) {
        ToolAdapter adapter = adapters.get(tool);
        if (adapter == null) {
            return Availability.missing("no adapter for tool '" + tool + "'");
        }
        try {
            return adapter.availability();
        } catch (RuntimeException e) {
            return Availability.missing("availability check failed: " + e.getMessage());
        }
    }

    private static Optional<String> firstLine(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8).lines().map(String::strip).filter(l -> !l.isEmpty())
                .findFirst();
    }
}
