package io.llmservice.acceptance;

import io.llmservice.testkit.FakeCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code examples/power-user.sh} with a real-looking {@code claude} and {@code codex} installed on
 * {@code PATH} that are not logged in ({@link FakeCli}s failing as the real ones do): it must
 * still run on its stand-ins and say so, unless {@code LLM_SERVICE_REAL_TOOLS=1} asks for the real
 * ones.
 */
class PowerUserScriptIT {
    private static final Path SCRIPT = DocBlocks.ROOT.resolve("examples/power-user.sh");
    private static final Path JAVA_BIN = Path.of(System.getProperty("java.home"), "bin");

    @TempDir
    Path tmp;

    @Test
    void installedToolsNotLoggedIn_theScriptUsesItsStandIns_andSaysSo() throws Exception {
        FakeCli claude = loggedOut("claude");
        FakeCli codex = loggedOut("codex");

        Run r = run(Map.of("PATH", path(claude, codex)));

        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.stdout).as(r.toString())
                .contains("tools: stand-ins", "LLM_SERVICE_REAL_TOOLS=1 uses the real claude and codex")
                .containsPattern("claude +stand-in +/")
                .containsPattern("codex +stand-in +/")
                .contains("[stand-in codex] Two findings");
        assertThat(r.stderr).doesNotContain("Not logged in");
        assertThat(claude.invocationCount() + codex.invocationCount()).isZero();
    }

    @Test
    void realToolsRequested_theScriptRunsTheInstalledOnes_andNamesThem() throws Exception {
        FakeCli claude = loggedOut("claude");
        FakeCli codex = loggedOut("codex");

        Run r = run(Map.of("PATH", path(claude, codex), "LLM_SERVICE_REAL_TOOLS", "1"));

        assertThat(r.stdout).as(r.toString()).contains("tools: LLM_SERVICE_REAL_TOOLS=1")
                .contains("claude  real      " + claude.binary(), "codex   real      " + codex.binary());
        assertThat(claude.invocationCount()).as(r.toString()).isPositive();
        assertThat(r.exitCode).as("the real tools are not logged in: the calls fail").isNotZero();
    }

    private FakeCli loggedOut(String name) {
        return FakeCli.builder().name(name).stderr("Not logged in · Please run /login\n").exitCode(1)
                .build(tmp.resolve("installed"));
    }

    private static String path(FakeCli... installed) {
        StringBuilder sb = new StringBuilder();
        for (FakeCli f : installed) {
            sb.append(f.directory()).append(File.pathSeparator);
        }
        return sb.append(JAVA_BIN).append(File.pathSeparator).append("/usr/bin:/bin").toString();
    }

    record Run(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private Run run(Map<String, String> env) throws Exception {
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder("sh", SCRIPT.toString()).directory(tmp.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("HOME", tmp.toString());
        pb.environment().put("LLM_SERVICE_JAR", CommandLine.JAR.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("power-user.sh did not finish within 3 minutes");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
