package io.llmservice.core.internal.exec;

import io.llmservice.spi.CancellationSignal;
import io.llmservice.testkit.FakeCli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The process runner against real subprocesses ({@link FakeCli}), reading the output on the
 * calling thread where the OS allows it (Linux); {@link PooledProcessRunnerIT} runs every test
 * again with the output drained on pool threads.
 */
class ProcessRunnerIT {

    private static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final ProcessRunner runner = newRunner(Clock.systemUTC());

    ProcessRunner newRunner(Clock clock) {
        return new ProcessRunner(clock);
    }

    /** Whether this runner reads on the calling thread, finding and killing whatever holds the pipes open. */
    boolean killsPipeHolders() {
        return PipeHolders.available();
    }
    private final List<FakeCli> fakes = new ArrayList<>();

    @AfterEach
    void noProcessLeftBehind() {
        try {
            assertThat(ProcessHandle.current().descendants().filter(h -> FakeCli.isRunning(h.pid())))
                    .as("child processes of the test JVM after the test").isEmpty();
        } finally {
            // Safety net so a failing test does not leak processes into the next one.
            for (FakeCli fake : fakes) {
                for (FakeCli.Invocation call : fake.invocations()) {
                    ProcessHandle.of(call.pid()).ifPresent(ProcessHandle::destroyForcibly);
                    call.childPids().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
                }
            }
        }
    }

    private FakeCli fake(FakeCli.Builder builder) {
        FakeCli fake = builder.build(dir);
        fakes.add(fake);
        return fake;
    }

    private static Map<String, String> minimalEnvironment() {
        return ChildEnvironment.build(Os.current(), System.getenv(), Map.of());
    }

    private static ProcessSpec.Builder spec(FakeCli fake, String... args) {
        List<String> command = new ArrayList<>();
        command.add(fake.binary().toString());
        command.addAll(Arrays.asList(args));
        return ProcessSpec.builder(command).environment(minimalEnvironment()).timeout(LONG);
    }

    static Stream<String> nastyPrompts() {
        String mixed = "-p --help ; rm -rf ~ $(id) `id` 'q' \"qq\" \\ $HOME %PATH% * ? [a] | & > < \n"
                + "🙂👍🏽 שלום עליכם مرحبا \u0001\u0002\u007f\t\r\n";
        return Stream.of("-", "--help", "-p", "; rm -rf ~", "$(id)", "`id`", "'single' \"double\" \\backslash",
                "line one\nline two\r\nline three\n", "", "  leading and trailing spaces  ",
                "binary-ish \u0001\u0002\u0003\u001b[31m\u007f\u00ff", "emoji 🙂👍🏽🏳️‍🌈", "RTL שלום עליכם مرحبا بالعالم \u202e",
                "$HOME ${PATH} %PATH% !! * ?", mixed.repeat(1000));
    }

    @ParameterizedTest
    @MethodSource("nastyPrompts")
    void run_nastyPrompt_reachesChildByteExactOnStdinAndAsOneArgument(String prompt) {
        FakeCli fake = fake(FakeCli.builder().stdout("ok"));
        byte[] bytes = prompt.getBytes(StandardCharsets.UTF_8);
        if (!argvCharsetCanEncode(prompt)) {
            // A JVM under a non-UTF-8 locale (LANG=C) would turn such text into '?': refused, not mangled.
            assertThatThrownBy(() -> runner.run(spec(fake, "-p", prompt).build(), CancellationSignal.none()))
                    .isInstanceOf(ProcessStartException.class).hasMessageContaining("UTF-8 locale");
            assertThat(fake.invocations()).isEmpty();
            runner.run(spec(fake).stdin(bytes).build(), CancellationSignal.none());
            assertThat(fake.invocations().get(0).stdin()).isEqualTo(bytes);
            return;
        }

        ProcessResult result = runner.run(spec(fake, "-p", prompt, "--model", "sonnet").stdin(bytes).build(),
                CancellationSignal.none());

        assertThat(result.termination()).isEqualTo(Termination.EXITED);
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdoutText()).isEqualTo("ok");
        FakeCli.Invocation call = fake.invocations().get(0);
        assertThat(call.argv()).containsExactly("-p", prompt, "--model", "sonnet");
        assertThat(call.stdin()).isEqualTo(bytes);
    }

    private static boolean argvCharsetCanEncode(String text) {
        String name = System.getProperty("sun.jnu.encoding");
        return Os.current() == io.llmservice.config.OsFamily.WINDOWS || name == null
                || java.nio.charset.Charset.forName(name).newEncoder().canEncode(text);
    }

    @Test
    void run_oneMebibytePrompt_reachesStdinByteExact() {
        FakeCli fake = fake(FakeCli.builder());
        byte[] prompt = "Review this diff 🙂 שלום $(id)\n".repeat(40_000).getBytes(StandardCharsets.UTF_8);
        assertThat(prompt.length).isGreaterThan(1024 * 1024);

        ProcessResult result = runner.run(spec(fake).stdin(prompt).build(), CancellationSignal.none());

        assertThat(result.succeeded()).isTrue();
        assertThat(fake.invocations().get(0).stdin()).isEqualTo(prompt);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void run_argumentLongerThanLinuxLimit_throwsProcessStartException_andRunsNothing() {
        FakeCli fake = fake(FakeCli.builder());
        String huge = "x".repeat(1024 * 1024);

        assertThatThrownBy(() -> runner.run(spec(fake, huge).build(), CancellationSignal.none()))
                .isInstanceOf(ProcessStartException.class)
                .hasMessageContaining(fake.binary().toString())
                .hasMessageNotContaining("xxxx");
        assertThat(fake.invocations()).isEmpty();
    }

    @Test
    void run_parentSecretNotDeclared_isNotVisibleToChild() {
        FakeCli fake = fake(FakeCli.builder());
        Map<String, String> parent = new HashMap<>(System.getenv());
        parent.put("LLM_TEST_PARENT_SECRET", "hunter2");
        parent.put("AWS_SECRET_ACCESS_KEY", "aws-secret");
        Map<String, String> env = ChildEnvironment.build(Os.current(), parent, Map.of("ANTHROPIC_API_KEY", "tool-key"));

        runner.run(spec(fake).environment(env).build(), CancellationSignal.none());

        Map<String, String> seen = fake.invocations().get(0).environment();
        assertThat(seen).isEqualTo(env);
        assertThat(seen).containsEntry("ANTHROPIC_API_KEY", "tool-key")
                .doesNotContainKeys("LLM_TEST_PARENT_SECRET", "AWS_SECRET_ACCESS_KEY")
                .doesNotContainValue("hunter2");
        Set<String> inheritedByJvmOnly = new HashSet<>(System.getenv().keySet());
        inheritedByJvmOnly.removeAll(env.keySet());
        assertThat(seen.keySet()).doesNotContainAnyElementsOf(inheritedByJvmOnly);
    }

    @Test
    void run_emptyEnvironment_childSeesNoVariables() {
        FakeCli fake = fake(FakeCli.builder());

        ProcessResult result = runner.run(spec(fake).environment(Map.of()).build(), CancellationSignal.none());

        assertThat(result.succeeded()).isTrue();
        assertThat(fake.invocations().get(0).environment()).isEmpty();
    }

    @Test
    void run_workingDirectory_isTheChildsCurrentDirectory() throws Exception {
        FakeCli fake = fake(FakeCli.builder());
        Path work = Files.createDirectory(dir.resolve("work dir with spaces"));

        runner.run(spec(fake).workingDirectory(work).build(), CancellationSignal.none());

        assertThat(fake.invocations().get(0).workingDirectory()).contains(work.toRealPath());
    }

    @Test
    void run_timeout_killsWholeTreeIncludingGrandchildWithinOneSecondOfDeadline() {
        FakeCli fake = fake(FakeCli.builder().spawnGrandchild(Duration.ofSeconds(60)).delay(LONG));
        Duration timeout = Duration.ofSeconds(1);
        long start = System.nanoTime();

        ProcessResult result = runner.run(spec(fake).timeout(timeout).build(), CancellationSignal.none());

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(result.termination()).isEqualTo(Termination.TIMED_OUT);
        assertThat(result.exitCode()).isEqualTo(-1);
        assertThat(took).isLessThan(timeout.plusSeconds(1));
        FakeCli.Invocation call = fake.invocations().get(0);
        assertThat(call.grandchildPid()).isPresent();
        assertThat(FakeCli.isRunning(call.grandchildPid().get())).as("grandchild running").isFalse();
        assertThat(FakeCli.isRunning(call.pid())).as("tool running").isFalse();
        assertThat(call.delayPid()).isPresent();
        assertThat(FakeCli.isRunning(call.delayPid().get())).as("tool's child running").isFalse();
        assertThat(call.completed()).isFalse();
    }

    @Test
    void run_toolIgnoringSigterm_isKilledHard() {
        FakeCli fake = fake(FakeCli.builder().ignoreSigterm().spawnGrandchild(Duration.ofSeconds(60)).delay(LONG));
        Duration timeout = Duration.ofMillis(500);
        long start = System.nanoTime();

        ProcessResult result = runner.run(spec(fake).timeout(timeout).build(), CancellationSignal.none());

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(result.termination()).isEqualTo(Termination.TIMED_OUT);
        assertThat(took).isLessThan(timeout.plusSeconds(1));
        FakeCli.Invocation call = fake.invocations().get(0);
        assertThat(FakeCli.isRunning(call.pid())).as("tool running").isFalse();
        assertThat(FakeCli.isRunning(call.grandchildPid().orElseThrow())).as("grandchild running").isFalse();
    }

    @Test
    void run_flood200MegabytesWithOneMebibyteCap_capsCountsAndDoesNotExhaustMemory() {
        long flood = 200_000_000L;
        int cap = 1024 * 1024;
        FakeCli fake = fake(FakeCli.builder().stdout("{\"result\":").floodStdout(flood).stderr("done"));

        ProcessResult result = runner.run(spec(fake).maxOutputBytes(cap).build(), CancellationSignal.none());

        assertThat(result.succeeded()).isTrue();
        assertThat(result.stdoutCapped()).isTrue();
        assertThat(result.stdoutTotalBytes()).isEqualTo(flood + "{\"result\":".length());
        assertThat(result.stdout()).hasSize(cap).startsWith("{\"result\":".getBytes(StandardCharsets.UTF_8));
        assertThat(result.stderrCapped()).isFalse();
        assertThat(result.stderrText()).isEqualTo("done");
    }

    @Test
    void run_stderrOverCap_isCappedSeparately() {
        FakeCli fake = fake(FakeCli.builder().stdout("out").stderr("e".repeat(5000)));

        ProcessResult result = runner.run(spec(fake).maxOutputBytes(1000).build(), CancellationSignal.none());

        assertThat(result.stderrCapped()).isTrue();
        assertThat(result.stderr()).hasSize(1000);
        assertThat(result.stderrTotalBytes()).isEqualTo(5000);
        assertThat(result.stdoutCapped()).isFalse();
        assertThat(result.stdoutText()).isEqualTo("out");
    }

    @Test
    void run_cancelledFromAnotherThreadMidRun_killsTreeAndReturnsCancelled() throws Exception {
        FakeCli fake = fake(FakeCli.builder().spawnGrandchild(Duration.ofSeconds(60)).delay(LONG));
        ManualCancellation cancellation = new ManualCancellation();
        CompletableFuture<ProcessResult> run = CompletableFuture.supplyAsync(
                () -> runner.run(spec(fake).build(), cancellation));
        FakeCli.Invocation call = awaitInvocation(fake, c -> c.grandchildPid().isPresent());

        cancellation.cancel();
        ProcessResult result = run.get(5, TimeUnit.SECONDS);

        assertThat(result.termination()).isEqualTo(Termination.CANCELLED);
        assertThat(result.exitCode()).isEqualTo(-1);
        assertThat(FakeCli.isRunning(call.pid())).isFalse();
        assertThat(FakeCli.isRunning(call.grandchildPid().get())).isFalse();
        assertThat(cancellation.registrations()).as("callback unregistered after the run").isZero();
    }

    @Test
    void run_alreadyCancelled_startsNothing() {
        FakeCli fake = fake(FakeCli.builder());
        ManualCancellation cancellation = new ManualCancellation();
        cancellation.cancel();

        ProcessResult result = runner.run(spec(fake).build(), cancellation);

        assertThat(result.termination()).isEqualTo(Termination.CANCELLED);
        assertThat(fake.invocations()).isEmpty();
    }

    @Test
    void run_threadInterrupted_killsTreeAndRestoresInterruptFlag() throws Exception {
        FakeCli fake = fake(FakeCli.builder().spawnGrandchild(Duration.ofSeconds(60)).delay(LONG));
        AtomicReference<ProcessResult> result = new AtomicReference<>();
        AtomicBoolean flagAfterRun = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            result.set(runner.run(spec(fake).build(), CancellationSignal.none()));
            flagAfterRun.set(Thread.currentThread().isInterrupted());
        });
        caller.start();
        FakeCli.Invocation call = awaitInvocation(fake, c -> c.grandchildPid().isPresent());

        caller.interrupt();
        caller.join(5000);

        assertThat(caller.isAlive()).isFalse();
        assertThat(result.get().termination()).isEqualTo(Termination.INTERRUPTED);
        assertThat(flagAfterRun).isTrue();
        assertThat(FakeCli.isRunning(call.pid())).isFalse();
        assertThat(FakeCli.isRunning(call.grandchildPid().get())).isFalse();
    }

    @Test
    void run_alreadyInterrupted_startsNothingAndKeepsFlag() {
        FakeCli fake = fake(FakeCli.builder());
        Thread.currentThread().interrupt();
        try {
            ProcessResult result = runner.run(spec(fake).build(), CancellationSignal.none());

            assertThat(result.termination()).isEqualTo(Termination.INTERRUPTED);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(fake.invocations()).isEmpty();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void run_nonZeroExit_reportsExitCodeAndStderrTail() {
        String stderr = "noise ".repeat(1000) + "\nAPI Error: 500 overloaded — последняя строка\n";
        FakeCli fake = fake(FakeCli.builder().stdout("partial").stderr(stderr).exitCode(7));

        ProcessResult result = runner.run(spec(fake).build(), CancellationSignal.none());

        assertThat(result.termination()).isEqualTo(Termination.EXITED);
        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.stdoutText()).isEqualTo("partial");
        byte[] all = stderr.getBytes(StandardCharsets.UTF_8);
        assertThat(result.stderrTail(2048)).isEqualTo(
                new String(Arrays.copyOfRange(all, all.length - 2048, all.length), StandardCharsets.UTF_8));
        assertThat(result.stderrTail(2048)).endsWith("API Error: 500 overloaded — последняя строка\n");
    }

    @Test
    void run_missingBinary_throwsProcessStartException() {
        Path missing = dir.resolve("no-such-tool");

        assertThatThrownBy(() -> runner.run(ProcessSpec.builder(List.of(missing.toString(), "secret prompt")).build(),
                CancellationSignal.none()))
                .isInstanceOf(ProcessStartException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageNotContaining("secret prompt")
                .satisfies(e -> assertThat(((ProcessStartException) e).executable()).isEqualTo(missing.toString()));
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void run_binaryNotExecutable_throwsProcessStartException() throws Exception {
        Path script = Files.writeString(dir.resolve("not-executable"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> runner.run(ProcessSpec.builder(List.of(script.toString())).build(),
                CancellationSignal.none()))
                .isInstanceOf(ProcessStartException.class)
                .hasMessageContaining(script.toString());
    }

    @Test
    void run_directoryAsBinary_throwsProcessStartException() {
        assertThatThrownBy(() -> runner.run(ProcessSpec.builder(List.of(dir.toString())).build(),
                CancellationSignal.none()))
                .isInstanceOf(ProcessStartException.class);
    }

    @Test
    void run_missingWorkingDirectory_throwsProcessStartException() {
        FakeCli fake = fake(FakeCli.builder());

        assertThatThrownBy(() -> runner.run(spec(fake).workingDirectory(dir.resolve("gone")).build(),
                CancellationSignal.none()))
                .isInstanceOf(ProcessStartException.class);
        assertThat(fake.invocations()).isEmpty();
    }

    @Test
    void run_childNotReadingLargeStdin_doesNotDeadlock() {
        FakeCli fake = fake(FakeCli.builder().readStdin(false).stdout("ignored your input"));
        byte[] big = new byte[8 * 1024 * 1024];

        ProcessResult result = runner.run(spec(fake).stdin(big).timeout(Duration.ofSeconds(20)).build(),
                CancellationSignal.none());

        assertThat(result.termination()).isEqualTo(Termination.EXITED);
        assertThat(result.stdoutText()).isEqualTo("ignored your input");
    }

    @Test
    void run_normalExitLeavingGrandchild_killsLeftoverAndDoesNotWaitForIt() {
        // The delay lets the runner's descendant poll see the grandchild before the tool exits.
        FakeCli fake = fake(FakeCli.builder().stdout("answer").spawnGrandchild(LONG).delay(Duration.ofMillis(600)));
        long start = System.nanoTime();

        ProcessResult result = runner.run(spec(fake).build(), CancellationSignal.none());

        assertThat(result.succeeded()).isTrue();
        assertThat(result.stdoutText()).isEqualTo("answer");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(FakeCli.isRunning(fake.invocations().get(0).grandchildPid().orElseThrow()))
                .as("leftover grandchild running").isFalse();
    }

    @Test
    void run_unseenOrphanHoldingPipesOpen_returnsAfterBoundedWait() {
        // Exits at once: the grandchild may be orphaned before any poll sees it, yet it holds stdout open.
        FakeCli fake = fake(FakeCli.builder().stdout("answer").spawnGrandchild(LONG));
        long start = System.nanoTime();

        ProcessResult result = runner.run(spec(fake).build(), CancellationSignal.none());

        assertThat(result.succeeded()).isTrue();
        assertThat(result.stdoutText()).isEqualTo("answer");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        // Cleaned up by noProcessLeftBehind if it survived; it is no longer our descendant either way.
        fake.invocations().get(0).grandchildPid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Test
    void run_orphanHoldingPipesOpen_isFoundThroughProcAndKilled() throws Exception {
        Assumptions.assumeTrue(killsPipeHolders(), "this runner drains on pool threads and gives the pipes up");
        // A tool that waits a moment with no redirection (so its pipes are identified while it is
        // plainly alive and its fds 1 and 2 are the pipes: dash applies a command's redirections in
        // the shell itself), reads its prompt, starts a process on its stdout and stderr through a
        // subshell that exits at once (so no descendant poll can see it), prints its answer, and
        // exits 300 ms later, while the runner is blocked reading.
        Path pidFile = dir.resolve("orphan.pid");
        Path tool = dir.resolve("orphaning-tool");
        Files.writeString(tool, "#!/bin/sh\nsleep 0.2\nread -r line || true\n"
                + "( sleep 30 </dev/null & echo $! | tee '" + pidFile + "' >/dev/null )\n"
                + "printf answer\nsleep 0.3 </dev/null >/dev/null 2>&1\n");
        Files.setPosixFilePermissions(tool, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        long start = System.nanoTime();

        ProcessResult result = runner.run(ProcessSpec.builder(List.of(tool.toString())).environment(minimalEnvironment())
                .stdin("prompt\n".getBytes(StandardCharsets.UTF_8)).timeout(LONG).build(), CancellationSignal.none());

        long orphan = Long.parseLong(Files.readString(pidFile).strip());
        try {
            assertThat(result.succeeded()).isTrue();
            assertThat(result.stdoutText()).isEqualTo("answer");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("one second's grace, then the kill")
                    .isBetween(Duration.ofMillis(1200), Duration.ofSeconds(5));
            // Its pipes close as it exits, an instant before the kernel marks it gone.
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (FakeCli.isRunning(orphan) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(FakeCli.isRunning(orphan)).as("the orphan holding the output pipes was found and killed").isFalse();
        } finally {
            ProcessHandle.of(orphan).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void run_twoHundredConcurrentCallsOn32Threads_allCompleteWithoutLeftovers() throws Exception {
        FakeCli fake = fake(FakeCli.builder().stdout("{\"result\":\"ok\"}"));
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<ProcessResult>> runs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                byte[] prompt = ("prompt #" + i + " 🙂").getBytes(StandardCharsets.UTF_8);
                runs.add(pool.submit(() -> runner.run(spec(fake, "--json").stdin(prompt).timeout(Duration.ofSeconds(90))
                        .build(), CancellationSignal.none())));
            }
            for (Future<ProcessResult> run : runs) {
                ProcessResult result = run.get(120, TimeUnit.SECONDS);
                assertThat(result.succeeded()).as(result.toString()).isTrue();
                assertThat(result.stdoutText()).isEqualTo("{\"result\":\"ok\"}");
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        List<FakeCli.Invocation> calls = fake.invocations();
        assertThat(calls).hasSize(200).allMatch(FakeCli.Invocation::completed);
        Set<String> prompts = calls.stream().map(FakeCli.Invocation::stdinText).collect(Collectors.toSet());
        assertThat(prompts).hasSize(200).contains("prompt #0 🙂", "prompt #199 🙂");
        assertThat(ProcessHandle.current().descendants()).isEmpty();
    }

    @Test
    void killAll_killsEveryRunningTree_andTheirRunsReturnCancelled() throws Exception {
        FakeCli fake = fake(FakeCli.builder().spawnGrandchild(Duration.ofSeconds(60)).delay(LONG));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<ProcessResult>> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                runs.add(pool.submit(() -> runner.run(spec(fake).build(), CancellationSignal.none())));
            }
            awaitCalls(fake, 3);

            runner.killAll();

            for (Future<ProcessResult> run : runs) {
                assertThat(run.get(5, TimeUnit.SECONDS).termination()).isEqualTo(Termination.CANCELLED);
            }
            for (FakeCli.Invocation call : fake.invocations()) {
                assertThat(FakeCli.isRunning(call.pid())).isFalse();
                assertThat(FakeCli.isRunning(call.grandchildPid().orElseThrow())).isFalse();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void run_elapsed_isMeasuredWithTheInjectedClock() {
        FakeCli fake = fake(FakeCli.builder().delay(Duration.ofMillis(100)));
        ProcessRunner fixed = newRunner(Clock.fixed(java.time.Instant.parse("2026-01-01T00:00:00Z"),
                java.time.ZoneOffset.UTC));

        ProcessResult result = fixed.run(spec(fake).build(), CancellationSignal.none());

        assertThat(result.succeeded()).isTrue();
        assertThat(result.elapsed()).isEqualTo(Duration.ZERO);
        assertThat(runner.run(spec(fake).build(), CancellationSignal.none()).elapsed())
                .isGreaterThanOrEqualTo(Duration.ofMillis(100));
    }

    @Test
    void run_faultyCancellationSignal_stillKillsTheTree() {
        FakeCli fake = fake(FakeCli.builder().delay(LONG));
        CancellationSignal broken = new CancellationSignal() {
            @Override
            public boolean isCancelled() {
                return false;
            }

            @Override
            public AutoCloseable onCancel(Runnable callback) {
                // Fail only once the tool is in its delay, so the whole tree exists and must be killed.
                try {
                    awaitInvocation(fake, c -> c.delayPid().isPresent());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("broken signal");
            }
        };

        ProcessResult result = runner.run(spec(fake).build(), broken);

        assertThat(result.termination()).isEqualTo(Termination.CANCELLED);
        FakeCli.Invocation call = fake.invocations().get(0);
        assertThat(FakeCli.isRunning(call.pid())).isFalse();
        assertThat(FakeCli.isRunning(call.delayPid().orElseThrow())).isFalse();
    }

    @Test
    void run_javaModeFakeCli_worksToo() {
        FakeCli fake = fake(FakeCli.builder().mode(FakeCli.Mode.JAVA).stdout("from java 🙂").exitCode(3));

        ProcessResult result = runner.run(spec(fake, "$(id)", "--help").stdin("שלום".getBytes(StandardCharsets.UTF_8))
                .build(), CancellationSignal.none());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdoutText()).isEqualTo("from java 🙂");
        FakeCli.Invocation call = fake.invocations().get(0);
        assertThat(call.argv()).containsExactly("$(id)", "--help");
        assertThat(call.stdinText()).isEqualTo("שלום");
    }

    private static FakeCli.Invocation awaitInvocation(FakeCli fake, Predicate<FakeCli.Invocation> ready)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            List<FakeCli.Invocation> calls = fake.invocations();
            if (!calls.isEmpty() && ready.test(calls.get(0))) {
                return calls.get(0);
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the fake CLI did not start within 10 s");
    }

    private static void awaitCalls(FakeCli fake, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            List<FakeCli.Invocation> calls = fake.invocations();
            if (calls.size() == count && calls.stream().allMatch(c -> c.grandchildPid().isPresent())) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the fake CLI was not started " + count + " times within 10 s");
    }

    // ---- output handed over before the exit

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void run_outputListener_getsTheCompleteStdout_once_onTheCallingThread() throws Exception {
        ProcessSpec spec = script("answering-tool", "printf '{\"result\":\"ok\"}'\nprintf note >&2\n");
        List<byte[]> seen = new ArrayList<>();
        List<Thread> on = new ArrayList<>();

        ProcessResult result = runner.run(spec, CancellationSignal.none(), stdout -> {
            seen.add(stdout);
            on.add(Thread.currentThread());
        });

        assertThat(result.succeeded()).isTrue();
        if (killsPipeHolders()) {
            assertThat(seen).hasSize(1);
            assertThat(seen.get(0)).isEqualTo(result.stdout())
                    .isEqualTo("{\"result\":\"ok\"}".getBytes(StandardCharsets.UTF_8));
            assertThat(on).containsExactly(Thread.currentThread());
        } else {
            assertThat(seen).as("pooled reads hand nothing over early").isEmpty();
        }
    }

    @Test
    void run_outputListener_isNotCalled_whenTheRunIsStoppedFirst() {
        FakeCli fake = fake(FakeCli.builder().stdout("partial").delay(LONG));
        List<byte[]> seen = new ArrayList<>();

        ProcessResult result = runner.run(spec(fake).timeout(Duration.ofMillis(300)).build(), CancellationSignal.none(),
                seen::add);

        assertThat(result.termination()).isEqualTo(Termination.TIMED_OUT);
        assertThat(seen).isEmpty();
    }

    @Test
    void run_outputListenerThatThrows_changesNothing() {
        FakeCli fake = fake(FakeCli.builder().stdout("ok").exitCode(3));

        ProcessResult result = runner.run(spec(fake).build(), CancellationSignal.none(), stdout -> {
            throw new IllegalStateException("listener bug");
        });

        assertThat(result.termination()).isEqualTo(Termination.EXITED);
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdoutText()).isEqualTo("ok");
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void run_outputListenerThatThrowsAnError_getsItRethrown_afterTheToolIsReaped() throws Exception {
        Path pidFile = dir.resolve("answering-tool-2.pid");
        // The pid is written (a redirection) only once the pipes were identified.
        ProcessSpec spec = script("answering-tool-2", "echo $$ > '" + pidFile + "'\nprintf ok\n");
        StackOverflowError error = new StackOverflowError("listener blew its stack");

        if (!killsPipeHolders()) {
            assertThat(runner.run(spec, CancellationSignal.none(), stdout -> {
                throw error;
            }).succeeded()).as("pooled reads never call the listener").isTrue();
            return;
        }
        assertThatThrownBy(() -> runner.run(spec, CancellationSignal.none(), stdout -> {
            throw error;
        })).isSameAs(error);
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(FakeCli.isRunning(pid)).as("the tool, reaped before the error came back").isFalse();
    }

    /**
     * A shell script that reads its stdin line, then runs {@code body}. Alive for a moment with its
     * own fds 1 and 2 on the pipes, so the calling thread reads (on Linux), as it does for a real
     * tool. {@code body} must not redirect before its output: dash applies a command's
     * redirections in the shell itself while the command runs, and a lookup then would see
     * /dev/null instead of the pipes.
     */
    private ProcessSpec script(String name, String body) throws Exception {
        Path tool = dir.resolve(name);
        Files.writeString(tool, "#!/bin/sh\nsleep 0.2\nread -r line || true\n" + body);
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwx------"));
        return ProcessSpec.builder(List.of(tool.toString())).environment(minimalEnvironment())
                .stdin("prompt\n".getBytes(StandardCharsets.UTF_8)).timeout(LONG).build();
    }

    /** Records what a listener sees, as text. */
    private static final class Recording implements OutputListener {
        final List<String> paused = new ArrayList<>();
        final List<String> complete = new ArrayList<>();

        @Override
        public void paused(byte[] soFar) {
            paused.add(new String(soFar, StandardCharsets.UTF_8));
        }

        @Override
        public void complete(byte[] stdout) {
            complete.add(new String(stdout, StandardCharsets.UTF_8));
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void run_outputListener_isToldOfEachPause_withTheStdoutSoFar_thenOfTheEnd() throws Exception {
        ProcessSpec spec = script("pausing-tool", "printf '{\"a\":1}'\nsleep 0.3\nprintf ' and more'\nsleep 0.3\n");
        Recording listener = new Recording();

        ProcessResult result = runner.run(spec, CancellationSignal.none(), listener);

        assertThat(result.stdoutText()).isEqualTo("{\"a\":1} and more");
        if (killsPipeHolders()) {
            assertThat(listener.paused).containsExactly("{\"a\":1}", "{\"a\":1} and more");
            assertThat(listener.complete).containsExactly("{\"a\":1} and more");
        } else {
            assertThat(listener.paused).as("pooled reads hand nothing over early").isEmpty();
            assertThat(listener.complete).isEmpty();
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void run_outputListener_getsAtMostEightPauses_andNoneOfALongOutput() throws Exception {
        // Twelve pauses: the first eight are told.
        ProcessSpec spec = script("chatty-tool", "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do printf \"$i,\"; sleep 0.1; done\n");
        Recording listener = new Recording();

        ProcessResult result = runner.run(spec, CancellationSignal.none(), listener);

        assertThat(result.stdoutText()).isEqualTo("1,2,3,4,5,6,7,8,9,10,11,12,");
        if (killsPipeHolders()) {
            // Each pause sees more than the one before (a slow reader may see two writes at once).
            assertThat(listener.paused).hasSize(StreamCapture.MAX_PAUSES);
            assertThat(listener.paused.get(0)).startsWith("1,");
            for (int i = 1; i < listener.paused.size(); i++) {
                assertThat(listener.paused.get(i)).startsWith(listener.paused.get(i - 1))
                        .isNotEqualTo(listener.paused.get(i - 1));
            }
            assertThat(listener.complete).containsExactly("1,2,3,4,5,6,7,8,9,10,11,12,");
        }

        // "x" alone first (head takes a moment to start), then 300 KiB through a 64 KiB pipe.
        int big = StreamCapture.MAX_PAUSE_BYTES + 50_000;
        ProcessSpec flood = script("flooding-tool", "printf x\nhead -c " + big + " /dev/zero\n");
        Recording sizing = new Recording();   // one byte per character: ASCII and zero bytes
        ProcessResult flooded = runner.run(flood, CancellationSignal.none(), sizing);
        assertThat(flooded.stdoutTotalBytes()).isEqualTo(big + 1L);
        if (killsPipeHolders()) {
            assertThat(sizing.paused).isNotEmpty()
                    .allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(StreamCapture.MAX_PAUSE_BYTES));
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void run_outputListenerThatThrowsOnAPause_changesNothing_andStillHearsTheEnd() throws Exception {
        ProcessSpec spec = script("pausing-tool-2", "printf first\nsleep 0.3\nprintf ' second'\n");
        List<String> complete = new ArrayList<>();
        OutputListener failing = new OutputListener() {
            @Override
            public void paused(byte[] soFar) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void complete(byte[] stdout) {
                complete.add(new String(stdout, StandardCharsets.UTF_8));
            }
        };

        ProcessResult result = runner.run(spec, CancellationSignal.none(), failing);

        assertThat(result.succeeded()).isTrue();
        assertThat(result.stdoutText()).isEqualTo("first second");
        assertThat(complete).isEqualTo(killsPipeHolders() ? List.of("first second") : List.of());
    }
}
