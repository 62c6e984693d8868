package io.llmservice.acceptance;

import io.llmservice.testkit.FakeCli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every shell example of {@code README.md} — each line of each {@code bash} block, through
 * {@code sh -c}, exactly as written — the way a new user does: a fresh HOME, the stand-in
 * {@code claude}, {@code codex} and {@code gemini} ({@link FakeCli}) on {@code PATH}, and a git
 * project with a change in it. A line starting with {@code ./} runs in the repository's root (it
 * names one of its scripts), every other line in the project. A block marked
 * {@code <!-- snippet: not run: why -->} is skipped (the set-up commands: they are this build).
 * Every line must exit 0 without an error; the outputs must show that the stand-ins answered.
 */
class ReadmeShellExamplesIT {
    private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));

    @TempDir
    Path tmp;

    private Path home;
    private Path project;
    private Map<String, String> env;

    @AfterEach
    void stopTheStoreDaemon() {
        if (env != null && Files.isRegularFile(home.resolve(".local/bin/llm-service"))) {
            sh("llm-service daemon stop", project); // the H2 store's daemon the calls started; whatever it says
        }
    }

    @Test
    void everyShellExampleOfTheReadme_runsAgainstTheStandIns() throws Exception {
        List<DocBlocks.Block> blocks = DocBlocks.read(DocBlocks.ROOT.resolve("README.md")).stream()
                .filter(b -> b.language().equals("bash") || b.language().equals("sh"))
                .filter(b -> !b.marker().startsWith("not run"))
                .toList();
        assertThat(blocks).as("README shell blocks to run").isNotEmpty();
        setUpUserAndProject();

        StringBuilder transcript = new StringBuilder();
        for (DocBlocks.Block block : blocks) {
            List<String> lines = block.code().lines().filter(l -> !l.isBlank()).toList();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                Result r = sh(line, line.startsWith("./") ? DocBlocks.ROOT : project);
                String where = "README.md:" + (block.line() + 1 + i) + ": " + line;
                assertThat(r.exitCode).as("%s%n%s", where, r).isZero();
                assertThat(r.stderr).as("%s%n%s", where, r).doesNotContain("error:");
                transcript.append("$ ").append(line).append('\n').append(r.stdout);
            }
        }
        assertThat(transcript.toString()).as(transcript.toString())
                .contains("[stand-in claude]")                       // exec answered by the stand-in
                .containsPattern("\"tool\" ?: \"claude-code\"")       // exec --json
                .contains("chosen:")                                 // route --explain
                .contains("period,group,requests,succeeded");        // stats --format csv
    }

    /** A fresh HOME, the three stand-ins on PATH, and a git project with an uncommitted change. */
    private void setUpUserAndProject() throws IOException {
        home = Files.createDirectories(tmp.resolve("home"));
        project = Files.createDirectories(home.resolve("project"));
        Path fakes = tmp.resolve("fakes");
        FakeCli claude = FakeCli.builder().name("claude").stdout("""
                {"type":"result","subtype":"success","is_error":false,"result":"[stand-in claude] Looks good.",\
                "total_cost_usd":0.0021,"usage":{"input_tokens":420,"output_tokens":60}}""").build(fakes);
        FakeCli codex = FakeCli.builder().name("codex").stdout("""
                {"type":"item.completed","item":{"id":"item_0","type":"agent_message","text":"[stand-in codex] Fine."}}
                {"type":"turn.completed","usage":{"input_tokens":300,"cached_input_tokens":0,"output_tokens":20}}
                """).build(fakes);
        FakeCli gemini = FakeCli.builder().name("gemini").stdout("""
                {"response":"[stand-in gemini] Fine.","stats":{"models":{"gemini-2.5-flash":{"tokens":\
                {"prompt":300,"candidates":20,"cached":0,"thoughts":0}}}}}""").build(fakes);

        env = new LinkedHashMap<>();
        env.put("HOME", home.toString());
        env.put("PATH", String.join(File.pathSeparator, home.resolve(".local/bin").toString(),
                claude.directory().toString(), codex.directory().toString(), gemini.directory().toString(),
                "/usr/local/bin", "/usr/bin", "/bin"));
        env.put("JAVA_HOME", JAVA_HOME.toString());
        // The H2 store's daemon the calls start ends soon after the test (and is stopped after it).
        env.put("JAVA_OPTS", "-Dllmservice.store.idleTimeout=20s");

        Files.writeString(project.resolve("Retry.java"), "class Retry { int tmp = 0; }\n");
        for (String git : List.of("git init -q", "git add Retry.java",
                "git -c user.name=Newcomer -c user.email=newcomer@example.com commit -q -m first")) {
            Result r = sh(git, project);
            assertThat(r.exitCode).as("%s%n%s", git, r).isZero();
        }
        Files.writeString(project.resolve("Retry.java"), "class Retry { int retryCount = 0; }\n");
    }

    record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private Result sh(String line, Path dir) {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", line).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start sh -c " + line, e);
        }
        try {
            p.getOutputStream().close();
            CompletableFuture<String> out = read(p.getInputStream());
            CompletableFuture<String> err = read(p.getErrorStream());
            if (!p.waitFor(3, TimeUnit.MINUTES)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("'" + line + "' did not finish within 3 minutes");
            }
            return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError("'" + line + "' failed to run", e);
        }
    }

    /** Reads the stream to its end on a thread of its own, so neither pipe of the process can fill up. */
    private static CompletableFuture<String> read(InputStream in) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(e);
            }
        }, "readme-shell-output");
        t.setDaemon(true);
        t.start();
        return text;
    }
}
