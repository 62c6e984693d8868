package io.llmservice.benchmarks;

import io.llmservice.ConfigSource;
import io.llmservice.LlmRequest;
import io.llmservice.LlmResponse;
import io.llmservice.LlmService;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.util.ListStatistics;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One successful call of each real coding-agent CLI (claude, codex, gemini, installed from npm by
 * {@code .ci/install-real-clis.sh}) against a loopback stub of its vendor's API
 * ({@link VendorApiStub}), measured two ways in the same run, interleaved in pairs with the order
 * alternating: through {@link LlmService} (one warm JVM, the built-in tool definition with only
 * the binary overridden — and for codex, whose built-in names a model provider of its own, that
 * provider's {@code options:} pointed at the stub — the {@code memory} store), and the same
 * binary run the way its own documentation shows ({@code claude -p "…" --output-format json},
 * {@code codex exec --json …}, {@code gemini -p … --output-format json}), each with the
 * environment a user would have: the API key and the base URL, and in the throwaway home what the
 * CLI's first run leaves there ({@link RealCli#prepareHome}). Both ways ask for the same model in
 * the same directory, a fresh git repository. The throwaway home is in a directory no other user
 * can write to ({@link #privateBase()}): the service's data directory, where gemini's private
 * settings file goes, is under it.
 *
 * <p>Every call is checked: exit status 0, the stub's text as the answer, and a generation request
 * at the stub; a call that fails stops the benchmark, so no failing call is ever timed.
 *
 * <p>Each JMH iteration is one pair ({@code SingleShotTime}); JMH's score is the pair's time.
 * The figures to read are printed when a CLI's trial ends: median and p90 of each way over the
 * measured pairs and the median of the per-pair differences, in milliseconds, also as a
 * {@code docs/benchmarks.md} table row.
 *
 * <p>Where the CLIs are: the system property {@code llm.service.real-cli.dir}, else the
 * environment variable {@code LLM_SERVICE_REAL_CLI_DIR}, else {@code target/real-cli}. A CLI
 * that is not installed fails its trial with a message saying so, and the run goes on with the
 * next one.
 *
 * <p>Run from the repository root, after {@code .ci/install-real-clis.sh} (every CLI, 30 pairs
 * each after 3 warm-up pairs):
 * {@code java -jar llm-service-benchmarks/target/benchmarks.jar RealCliBenchmark} — one CLI:
 * {@code -p cli=gemini}; fewer pairs: {@code -wi 1 -i 5}. {@code docs/benchmarks.md} has the
 * whole command, install and build included.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 30)
@Fork(1)
public class RealCliBenchmark {
    private static final String PROMPT = "Answer with the word the stub gives you.";

    @Param({"claude", "codex", "gemini"})
    public String cli;

    private RealCli realCli;
    private Path dir;
    private Path workdir;
    private Path binary;
    private String version;
    private VendorApiStub api;
    private Map<String, String> userEnvironment;
    private LlmService llm;
    private LlmRequest request;

    private final ListStatistics llmServiceMillis = new ListStatistics();
    private final ListStatistics docsWayMillis = new ListStatistics();
    /** Per pair: through LlmService minus the docs' way (negative: ours was faster). */
    private final ListStatistics differenceMillis = new ListStatistics();
    private boolean measuring;
    private boolean llmServiceFirst = true;

    @Setup(Level.Trial)
    public void setUp() throws IOException, InterruptedException {
        realCli = RealCli.named(cli);
        binary = installation().resolve("node_modules").resolve(".bin").resolve(realCli.binaryName());
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("real " + cli + " not installed at " + binary
                    + ": run .ci/install-real-clis.sh (needs npm) or set LLM_SERVICE_REAL_CLI_DIR; skipping " + cli);
        }
        dir = Files.createTempDirectory(privateBase(), "llm-realcli-bench-" + cli,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path home = Files.createDirectories(dir.resolve("home"));
        workdir = Files.createDirectories(dir.resolve("work"));
        run(List.of("git", "init", "-q", workdir.toString()), Map.of("PATH", path(), "HOME", home.toString()));
        api = new VendorApiStub(realCli.vendor());
        realCli.prepareHome(home, api.baseUrl(), workdir);

        // What a user's shell has: PATH (node runs codex's and gemini's launchers), HOME, a locale,
        // and the key and base URL; nothing else, for both ways.
        userEnvironment = new HashMap<>(realCli.userEnvironment(api.baseUrl()));
        userEnvironment.put("PATH", path());
        userEnvironment.put("HOME", home.toString());
        userEnvironment.put("LANG", "C.UTF-8");
        version = run(List.of(binary.toString(), "--version"), userEnvironment).strip().lines().findFirst().orElse("?");

        String options = realCli.toolOptions(api.baseUrl());
        llm = LlmService.builder().config(ConfigSource.text("realcli-bench.yaml", """
                tools:
                  %s: {extends: %s, binary: "%s"%s}
                agents:
                  bench: {tool: %s, model: %s}
                policies:
                  telemetry: {store: memory}
                """.formatted(realCli.toolName(), realCli.toolName(), binary, options.isEmpty() ? "" : ", options: " + options,
                        realCli.toolName(), realCli.model())))
                .environment(userEnvironment).build();
        request = LlmRequest.builder(PROMPT).agent("bench").workingDirectory(workdir).build();
    }

    /** The trial's throwaway directory (the home and the working directory are in it); set by {@link #setUp}. */
    Path throwawayDirectory() {
        return dir;
    }

    /** Only the measured iterations count; the warm-up pairs are timed by JMH alone. */
    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        measuring = params.getType() == IterationType.MEASUREMENT;
    }

    /** One call each way, the order alternating from pair to pair; returns the pair's time in ms. */
    @Benchmark
    public double pair() throws IOException, InterruptedException {
        double ours;
        double docs;
        if (llmServiceFirst) {
            ours = llmService();
            docs = docsWay();
        } else {
            docs = docsWay();
            ours = llmService();
        }
        llmServiceFirst = !llmServiceFirst;
        if (measuring) {
            llmServiceMillis.addValue(ours);
            docsWayMillis.addValue(docs);
            differenceMillis.addValue(ours - docs);
        }
        return ours + docs;
    }

    /** One checked call through {@link LlmService}; its time in milliseconds. */
    private double llmService() {
        int before = api.generations();
        long t0 = System.nanoTime();
        LlmResponse response = llm.route(request).execute();
        long elapsed = System.nanoTime() - t0;
        check("through LlmService", response.text(), before);
        return elapsed / 1e6;
    }

    /** One checked call the docs' way; its time in milliseconds. */
    private double docsWay() throws IOException, InterruptedException {
        int before = api.generations();
        long t0 = System.nanoTime();
        String stdout = run(realCli.docsArgv(binary, PROMPT), userEnvironment);
        long elapsed = System.nanoTime() - t0;
        String text = realCli.docsAnswer(stdout).orElseThrow(() -> new IllegalStateException(
                cli + " run the docs' way printed no answer: " + abbreviate(stdout)));
        check("the docs' way", text, before);
        return elapsed / 1e6;
    }

    private void check(String how, String text, int generationsBefore) {
        if (!text.strip().equals(VendorApiStub.TEXT)) {
            throw new IllegalStateException(cli + " " + how + " answered '" + abbreviate(text) + "', not the stub's '"
                    + VendorApiStub.TEXT + "': the call did not succeed, so it must not be timed");
        }
        if (api.generations() == generationsBefore) {
            throw new IllegalStateException(cli + " " + how + " answered without asking the stub");
        }
    }

    /**
     * Runs a command to its end the way a shell does: no input, standard output read whole,
     * standard error to a file that is shown when the exit status is not 0.
     */
    private String run(List<String> command, Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workdir.toFile());
        pb.environment().clear();
        pb.environment().putAll(environment);
        File stderr = Files.createTempFile(dir, "stderr", ".txt").toFile();
        pb.redirectError(stderr);
        Process process = pb.start();
        process.getOutputStream().close();
        String stdout;
        try (InputStream out = process.getInputStream()) {
            stdout = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        int status = process.waitFor();
        String errors = Files.readString(stderr.toPath());
        Files.delete(stderr.toPath());
        if (status != 0) {
            throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(2, command.size())))
                    + " exited with status " + status + ": " + abbreviate(errors + stdout));
        }
        return stdout;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try {
            if (llmServiceMillis.getN() > 0) {
                System.out.println();
                System.out.println("RealCliBenchmark " + cli + " (" + version + "), " + llmServiceMillis.getN()
                        + " pairs, ms: through LlmService median " + ms(llmServiceMillis, 50) + ", p90 "
                        + ms(llmServiceMillis, 90) + "; the docs' way median " + ms(docsWayMillis, 50) + ", p90 "
                        + ms(docsWayMillis, 90) + "; ours minus docs' per pair: median " + ms(differenceMillis, 50)
                        + ", p90 " + ms(differenceMillis, 90) + "; " + Runtime.getRuntime().availableProcessors()
                        + " cores, Java " + System.getProperty("java.version") + ", load average "
                        + String.format(Locale.ROOT, "%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
                System.out.println("| " + cli + " " + version + " | `" + String.join(" ", realCli.docsArgv(Path.of(cli), "…"))
                        + "` | " + ms(llmServiceMillis, 50) + " | " + ms(llmServiceMillis, 90) + " | "
                        + ms(docsWayMillis, 50) + " | " + ms(docsWayMillis, 90) + " | " + ms(differenceMillis, 50)
                        + " | " + llmServiceMillis.getN() + " |");
            }
        } finally {
            if (llm != null) {
                llm.close();
            }
            if (api != null) {
                api.close();
            }
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    /**
     * JMH's statistics of this benchmark's own samples, not {@code LatencyHistogram} (the percentile of
     * stats and budgets): the per-pair differences are negative as often as positive, which a histogram of
     * latencies cannot hold, and its 2.2 % buckets are ~100 ms wide at a 5 s call, as large as the
     * differences measured here.
     */
    private static String ms(ListStatistics values, double percentile) {
        return String.format(Locale.ROOT, "%.0f", values.getPercentile(percentile));
    }

    /**
     * Where the throwaway directory (home, working directory) goes: the temporary directory if
     * neither it nor any directory above it is writable by group or others, else {@code target}
     * under the current directory if that holds, else {@code ~/.cache}. The service keeps its data
     * directory (gemini's private settings file) under the throwaway home, and gemini 0.61 ignores a
     * system settings file below a directory others can write to, such as {@code /tmp}.
     */
    static Path privateBase() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        if (safeChain(tmp)) {
            return tmp;
        }
        Path target = Path.of("target").toAbsolutePath();
        if (Files.isDirectory(target) && safeChain(target)) {
            return target;
        }
        Path cache = Files.createDirectories(Path.of(System.getProperty("user.home"), ".cache"));
        if (safeChain(cache)) {
            return cache;
        }
        throw new IllegalStateException("no private directory for the benchmark's throwaway home: " + tmp + ", "
                + target + " and " + cache + " are each below a directory that group or others can write to, and"
                + " gemini ignores its settings file there; run with -Djava.io.tmpdir=<a directory only you can write to>");
    }

    private static boolean safeChain(Path dir) throws IOException {
        for (Path p = dir; p != null; p = p.getParent()) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                return false;
            }
        }
        return true;
    }

    private static Path installation() {
        String configured = System.getProperty("llm.service.real-cli.dir", System.getenv("LLM_SERVICE_REAL_CLI_DIR"));
        return Path.of(configured == null || configured.isBlank() ? "target/real-cli" : configured).toAbsolutePath();
    }

    private static String path() {
        return System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    }

    private static String abbreviate(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 400 ? oneLine : oneLine.substring(0, 400) + " …";
    }
}
