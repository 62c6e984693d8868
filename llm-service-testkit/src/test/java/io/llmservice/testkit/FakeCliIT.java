package io.llmservice.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** FakeCli driven by a plain ProcessBuilder, in both modes. */
class FakeCliIT {

    @TempDir
    Path dir;

    private record Run(int exitCode, String stdout, String stderr) {
    }

    private static Run run(FakeCli fake, byte[] stdin, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(fake.binary().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(env);
        Process p = builder.start();
        p.getOutputStream().write(stdin);
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(FakeCli.Mode.class)
    @DisabledOnOs(OS.WINDOWS)
    void invocation_recordsArgvStdinAndEnvironmentByteExact(FakeCli.Mode mode) throws Exception {
        FakeCli fake = FakeCli.builder().mode(mode).stdout("{\"result\":\"hi 🙂\"}").stderr("warn").exitCode(4).build(dir);
        String nasty = "--help ; rm -rf ~ $(id) `id` 'q' \"qq\" \n שלום 🙂";
        byte[] stdin = ("prompt " + nasty).getBytes(StandardCharsets.UTF_8);
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "ANTHROPIC_API_KEY", "k=v with = signs",
                "JAVA_HOME", System.getProperty("java.home"));

        Run run = run(fake, stdin, env, "-p", nasty, "", "--model", "sonnet");

        assertThat(run).isEqualTo(new Run(4, "{\"result\":\"hi 🙂\"}", "warn"));
        FakeCli.Invocation call = fake.invocations().get(0);
        assertThat(call.number()).isEqualTo(1);
        assertThat(call.argv()).containsExactly("-p", nasty, "", "--model", "sonnet");
        assertThat(call.stdin()).isEqualTo(stdin);
        assertThat(call.environment()).containsAllEntriesOf(env);
        if (mode == FakeCli.Mode.SHELL) {
            assertThat(call.environment()).isEqualTo(env);
        }
        assertThat(call.completed()).isTrue();
        assertThat(call.pid()).isPositive();
        assertThat(call.grandchildPid()).isEmpty();
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void responses_areQueued_andTheLastRepeats() throws Exception {
        FakeCli fake = FakeCli.builder().stdout("first").exitCode(1)
                .then().stdout("second")
                .then().stdout("third").stderr("again")
                .build(dir);
        Map<String, String> env = Map.of();

        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(run(fake, new byte[0], env));
        }

        assertThat(runs).containsExactly(new Run(1, "first", ""), new Run(0, "second", ""),
                new Run(0, "third", "again"), new Run(0, "third", "again"));
        assertThat(fake.invocations()).extracting(FakeCli.Invocation::number).containsExactly(1, 2, 3, 4);
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void readStdinFalse_leavesStdinUnread() throws Exception {
        FakeCli fake = FakeCli.builder().readStdin(false).stdout("x").build(dir);

        Process p = new ProcessBuilder(fake.binary().toString()).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();

        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("x");
        assertThat(fake.invocations().get(0).stdin()).isEmpty();
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void flood_writesTheRequestedNumberOfBytes() throws Exception {
        FakeCli fake = FakeCli.builder().stdout("ab").floodStdout(3_000_000).build(dir);

        Process p = new ProcessBuilder(fake.binary().toString()).start();
        p.getOutputStream().close();
        long total = p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();

        assertThat(total).isEqualTo(3_000_002);
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void spawnGrandchild_recordsItsPid_andIgnoreSigtermNeedsSigkill() throws Exception {
        FakeCli fake = FakeCli.builder().ignoreSigterm().spawnGrandchild(Duration.ofSeconds(30))
                .delay(Duration.ofSeconds(30)).build(dir);
        Process p = new ProcessBuilder(fake.binary().toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            p.getOutputStream().close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (fake.invocations().isEmpty() || fake.invocations().get(0).grandchildPid().isEmpty()) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(10);
            }
            long grandchild = fake.invocations().get(0).grandchildPid().get();
            assertThat(FakeCli.isRunning(grandchild)).isTrue();
            assertThat(ProcessHandle.of(grandchild).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
                    .contains(p.pid());

            p.destroy();
            assertThat(p.waitFor(500, TimeUnit.MILLISECONDS)).as("exited on SIGTERM").isFalse();
            assertThat(fake.invocations().get(0).delayPid()).isPresent();
            fake.invocations().get(0).childPids().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            p.destroyForcibly();
            assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(fake.invocations().get(0).completed()).isFalse();
        } finally {
            p.destroyForcibly();
            fake.invocations().forEach(c -> c.childPids().forEach(pid -> ProcessHandle.of(pid)
                    .ifPresent(ProcessHandle::destroyForcibly)));
        }
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void concurrentCalls_getUniqueNumbers() throws Exception {
        FakeCli fake = FakeCli.create(dir);
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Process p = new ProcessBuilder(fake.binary().toString(), "call-" + i).start();
            p.getOutputStream().close();
            processes.add(p);
        }
        for (Process p : processes) {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        List<FakeCli.Invocation> calls = fake.invocations();
        assertThat(calls).extracting(FakeCli.Invocation::number).containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(1, 40).boxed().toList());
        assertThat(calls).flatExtracting(FakeCli.Invocation::argv).hasSize(40).doesNotHaveDuplicates();
    }
}
