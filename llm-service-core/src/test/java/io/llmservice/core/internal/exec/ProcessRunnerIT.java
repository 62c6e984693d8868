package io.llmservice.core.internal.exec;

import io.llmservice.Ticker;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The process runner against real subprocesses ({@link FakeCli} and shell scripts). */
class ProcessRunnerIT {

    private static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final ProcessRunner runner = newRunner(Ticker.system());

    private static ProcessRunner newRunner(Ticker ticker) {
        return new ProcessRunner(ticker);
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
    void run_elapsed_isMeasuredWithTheInjectedTicker() {
        FakeCli fake = fake(FakeCli.builder().delay(Duration.ofMillis(100)));
        ProcessRunner frozen = newRunner(() -> 42L);

        ProcessResult result = frozen.run(spec(fake).build(), CancellationSignal.none());

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

    // ---- processes left running when the tool exits

    /** A shell-script tool: {@code body} after {@code #!/bin/sh}, with a short prompt on stdin. */
    private ProcessSpec.Builder script(String name, String body) throws Exception {
        Path tool = dir.resolve(name);
        Files.writeString(tool, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwx------"));
        return ProcessSpec.builder(List.of(tool.toString())).environment(minimalEnvironment())
                .stdin("prompt\n".getBytes(StandardCharsets.UTF_8)).timeout(LONG);
    }

    private static long readPid(Path file) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                String text = Files.readString(file).strip();
                if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
                    return Long.parseLong(text);
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no pid in " + file + " within 10 s");
    }

    private static void awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (FakeCli.isRunning(pid) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void run_escapedProcessHoldingStdout_returnsAfterTheGrace_andFreesTheDrainWhenItEnds() throws Exception {
        // The subshell starts the holder in a new session and exits at once, so the holder is
        // re-parented before any descendant poll (the first is 20 ms after the start) can see it;
        // it keeps stdout and stderr open for 30 s. The tool prints its answer and exits.
        Path pidFile = dir.resolve("escapee.pid");
        ProcessSpec spec = script("escaping-tool", "read -r line || true\n"
                + "( setsid sleep 30 </dev/null & echo $! > '" + pidFile + "' )\n"
                + "printf answer\n").build();
        long start = System.nanoTime();

        ProcessResult result = runner.run(spec, CancellationSignal.none());

        long escapee = readPid(pidFile);
        try {
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(result.succeeded()).isTrue();
            assertThat(result.stdoutText()).isEqualTo("answer");
            assertThat(FakeCli.isRunning(escapee)).as("the escaped holder is out of reach, still running").isTrue();
            assertThat(took).as("the caller waits the grace, not for the holder").isLessThan(Duration.ofSeconds(10));
            // Usually the drains are still blocked in their reads here. Not always: when the JDK's
            // reaper gets the stream between two reads, it closes the pipe itself at the exit.

            ProcessHandle.of(escapee).ifPresent(ProcessHandle::destroy);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (runner.drainsRunning() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(runner.drainsRunning()).as("drains still reading once the holder is gone").isZero();
        } finally {
            ProcessHandle.of(escapee).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void run_escapedProcessWritingOnAfterTheGrace_getsSigpipe_andTheDrainEnds() throws Exception {
        // As above, but the holder keeps writing: once the runner has closed its end, the blocked
        // read returns, the next fails on the closed stream, and the holder's next write has no reader.
        Path pidFile = dir.resolve("chatty.pid");
        ProcessSpec spec = script("chatty-escaping-tool", "read -r line || true\n"
                + "( setsid sh -c 'while :; do sleep 0.2; echo more; done' </dev/null & echo $! > '" + pidFile + "' )\n"
                + "printf answer\n").build();

        ProcessResult result = runner.run(spec, CancellationSignal.none());

        long escapee = readPid(pidFile);
        try {
            assertThat(result.succeeded()).isTrue();
            assertThat(result.stdoutText()).startsWith("answer");
            awaitGone(escapee);
            assertThat(FakeCli.isRunning(escapee)).as("the writer killed by SIGPIPE").isFalse();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (runner.drainsRunning() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(runner.drainsRunning()).isZero();
        } finally {
            ProcessHandle.of(escapee).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void run_toolLeavingBackgroundAndSetsidChildren_exitsAndTheyAreKilled() throws Exception {
        Path pids = dir.resolve("children.pid");
        // The pause lets the descendant polls see both children before the tool exits.
        ProcessSpec spec = script("leaving-tool", "read -r line || true\n"
                + "sleep 44 </dev/null >/dev/null 2>&1 &\necho $! > '" + pids + ".1'\n"
                + "setsid sleep 45 </dev/null >/dev/null 2>&1 &\necho $! > '" + pids + ".2'\n"
                + "sleep 0.5\nprintf '{\"result\":\"ok\"}'\n").build();

        ProcessResult result = runner.run(spec, CancellationSignal.none());

        long background = readPid(Path.of(pids + ".1"));
        long detached = readPid(Path.of(pids + ".2"));
        try {
            assertThat(result.succeeded()).isTrue();
            assertThat(result.stdoutText()).isEqualTo("{\"result\":\"ok\"}");
            assertThat(FakeCli.isRunning(background)).as("sleep 44 &").isFalse();
            assertThat(FakeCli.isRunning(detached)).as("setsid sleep 45 &").isFalse();
        } finally {
            ProcessHandle.of(background).ifPresent(ProcessHandle::destroyForcibly);
            ProcessHandle.of(detached).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void run_leaveDescendants_keepsThemRunning() throws Exception {
        Path pids = dir.resolve("kept.pid");
        ProcessSpec spec = script("daemon-starting-tool", "read -r line || true\n"
                + "sleep 44 </dev/null >/dev/null 2>&1 &\necho $! > '" + pids + ".1'\n"
                + "setsid sleep 45 </dev/null >/dev/null 2>&1 &\necho $! > '" + pids + ".2'\n"
                + "sleep 0.5\nprintf ok\n").leaveDescendants(true).build();

        ProcessResult result = runner.run(spec, CancellationSignal.none());

        long background = readPid(Path.of(pids + ".1"));
        long detached = readPid(Path.of(pids + ".2"));
        try {
            assertThat(result.succeeded()).isTrue();
            assertThat(FakeCli.isRunning(background)).as("sleep 44 &").isTrue();
            assertThat(FakeCli.isRunning(detached)).as("setsid sleep 45 &").isTrue();
        } finally {
            ProcessHandle.of(background).ifPresent(ProcessHandle::destroyForcibly);
            ProcessHandle.of(detached).ifPresent(ProcessHandle::destroyForcibly);
            awaitGone(background);
            awaitGone(detached);
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void run_leaveDescendants_stillKillsThemOnTimeout() throws Exception {
        Path pids = dir.resolve("timed.pid");
        ProcessSpec spec = script("slow-daemon-starting-tool", "read -r line || true\n"
                + "sleep 44 </dev/null >/dev/null 2>&1 &\necho $! > '" + pids + "'\n"
                + "sleep 30\n").leaveDescendants(true).timeout(Duration.ofSeconds(1)).build();

        ProcessResult result = runner.run(spec, CancellationSignal.none());

        long background = readPid(pids);
        try {
            assertThat(result.termination()).isEqualTo(Termination.TIMED_OUT);
            assertThat(FakeCli.isRunning(background)).isFalse();
        } finally {
            ProcessHandle.of(background).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void run_timeout_isMeasuredWithTheInjectedTicker() {
        FakeCli fake = fake(FakeCli.builder().delay(LONG));
        AtomicLong nanos = new AtomicLong();
        // Each reading moves the ticker on by 10 s: the 1-minute timeout passes after a few
        // readings, long before the tool's 30 s delay in real time.
        ProcessRunner fast = newRunner(() -> nanos.addAndGet(TimeUnit.SECONDS.toNanos(10)));

        ProcessResult result = fast.run(spec(fake).timeout(Duration.ofMinutes(1)).build(), CancellationSignal.none());

        assertThat(result.termination()).isEqualTo(Termination.TIMED_OUT);
        assertThat(FakeCli.isRunning(fake.invocations().get(0).pid())).isFalse();
    }
}
