package io.llmservice.acceptance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cucumber.datatable.DataTable;
import io.cucumber.java.After;
import io.cucumber.java.Before;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.llmservice.Attempt;
import io.llmservice.BudgetExceededException;
import io.llmservice.Complexity;
import io.llmservice.ConfigException;
import io.llmservice.ConfigProblem;
import io.llmservice.CostSource;
import io.llmservice.ErrorCode;
import io.llmservice.LlmRequest;
import io.llmservice.LlmResponse;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.LlmServiceListener;
import io.llmservice.RateLimitedException;
import io.llmservice.RoutePlan;
import io.llmservice.RoutedCall;
import io.llmservice.StatsDimension;
import io.llmservice.StatsPeriod;
import io.llmservice.StatsQuery;
import io.llmservice.StatsReport;
import io.llmservice.StatsRow;
import io.llmservice.config.Privacy;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.spi.TelemetryStoreProvider;
import io.llmservice.testkit.FakeCli;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The steps of every scenario. Each scenario gets a fresh instance (Cucumber's default), its own
 * temporary directory with the configuration file, the stand-in tools and the H2 telemetry file,
 * and leaves no process behind.
 *
 * <p>Stand-in tools are {@link FakeCli} programs that print output captured from the real CLIs;
 * the configuration points at them through environment variables ({@code ${CLAUDE_BIN}}), the
 * same mechanism an operator would use, so the YAML in a feature file is exactly what is loaded.
 */
public class AcceptanceSteps {
    private static final Path REAL_CLI = Path.of(System.getProperty("real-cli.dir",
            "../llm-service-core/src/test/resources/real-cli"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path dir;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final Map<String, FakeCli> standIns = new LinkedHashMap<>();
    private final List<String> requestIds = new CopyOnWriteArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final CommandLine commandLine = new CommandLine();
    private Path configFile;
    private LlmService service;

    private LlmRequest lastRequest;
    private RoutedCall routed;
    private LlmResponse response;
    private LlmServiceException failure;
    private ConfigException configRejection;
    private CommandLine.Result cliResult;

    @Before
    public void createWorkspace() throws IOException {
        dir = Files.createTempDirectory("llm-service-acceptance-").toRealPath();
        Files.createDirectories(dir.resolve("home"));
        environment.put("PATH", "/usr/bin:/bin");
        environment.put("HOME", dir.resolve("home").toString());
        environment.put("TELEMETRY_PATH", telemetryPath().toString());
    }

    @After
    public void cleanUp() throws IOException {
        try {
            if (service != null) {
                service.close();
            }
            commandLine.close();
            List<Long> leftovers = new ArrayList<>();
            for (FakeCli fake : standIns.values()) {
                for (FakeCli.Invocation call : fake.invocations()) {
                    Stream.concat(Stream.of(call.pid()), call.childPids().stream()).filter(FakeCli::isRunning)
                            .forEach(pid -> {
                                leftovers.add(pid);
                                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                            });
                }
            }
            assertThat(leftovers).as("no stand-in tool process outlives the scenario").isEmpty();
        } finally {
            deleteRecursively(dir);
        }
    }

    // ---------------------------------------------------------------- given

    @Given("a stand-in {string} command that prints the real output {string}")
    public void standIn(String name, String capturedFile) {
        addStandIn(name, FakeCli.builder().name(name).stdout(captured(capturedFile)));
    }

    @Given("a stand-in {string} command that prints the real output {string} and exits with {int}")
    public void failingStandIn(String name, String capturedFile, int exitCode) {
        addStandIn(name, FakeCli.builder().name(name).stdout(captured(capturedFile)).exitCode(exitCode));
    }

    @Given("a stand-in {string} command that prints:")
    public void standInPrinting(String name, String stdout) {
        addStandIn(name, FakeCli.builder().name(name).stdout(stdout));
    }

    @Given("a stand-in {string} command that hangs for {int} seconds with a child process")
    public void hangingStandIn(String name, int seconds) {
        addStandIn(name, FakeCli.builder().name(name).spawnGrandchild(Duration.ofSeconds(seconds))
                .delay(Duration.ofSeconds(seconds)).stdout(captured("claude-2.1.197-success.json")));
    }

    @Given("the {string} command is not installed")
    public void notInstalled(String name) {
        environment.put(binaryVariable(name), dir.resolve("not-installed").resolve(name).toString());
    }

    @Given("the configuration:")
    public void configuration(String yaml) throws IOException {
        configFile = Files.writeString(dir.resolve("llm-service.yaml"), yaml, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- when: the API

    @When("agent {string} asks {string}")
    public void asks(String agent, String prompt) {
        ask(LlmRequest.builder(prompt).agent(agent).build());
    }

    @When("agent {string} asks {string} {int} times")
    public void asksTimes(String agent, String prompt, int times) {
        for (int i = 0; i < times; i++) {
            ask(LlmRequest.builder(prompt).agent(agent).build());
            assertThat(failure).as("request %d of %s", i + 1, agent).isNull();
        }
    }

    @When("agent {string} asks {string} with complexity {string}")
    public void asksWithComplexity(String agent, String prompt, String complexity) {
        ask(LlmRequest.builder(prompt).agent(agent).complexity(complexity(complexity)).build());
    }

    @When("agent {string} asks for a task described in {int} words with complexity {string}")
    public void asksLongTask(String agent, int words, String complexity) {
        String prompt = IntStream.range(0, words).mapToObj(i -> "step" + (i % 100))
                .collect(Collectors.joining(" ", "Refactor the billing module: ", "."));
        ask(LlmRequest.builder(prompt).agent(agent).complexity(complexity(complexity)).build());
    }

    @When("agent {string} routes {string}")
    public void routes(String agent, String prompt) {
        lastRequest = LlmRequest.builder(prompt).agent(agent).build();
        routed = service().route(lastRequest);
    }

    @When("the {string} command is uninstalled")
    public void uninstall(String name) throws IOException {
        Files.delete(standIns.get(name).binary());
    }

    @When("the routed request runs")
    public void routedRuns() {
        run(routed);
    }

    @When("the service is started with this configuration")
    public void startService() {
        try {
            service();
        } catch (ConfigException e) {
            configRejection = e;
        }
    }

    // ---------------------------------------------------------------- when: the command line

    @When("the operator runs {string}")
    public void operatorRuns(String commandLineText) {
        List<String> words = splitCommand(commandLineText);
        assertThat(words.get(0)).isEqualTo("llm-service");
        runCli(words.subList(1, words.size()));
    }

    @When("the operator runs {string} for the same request")
    public void operatorRunsForSameRequest(String command) {
        List<String> args = new ArrayList<>(splitCommand(command).subList(1, splitCommand(command).size()));
        args.addAll(List.of("--agent", lastRequest.agent().orElseThrow()));
        lastRequest.complexity().ifPresent(c -> args.addAll(List.of("--complexity", c.name().toLowerCase(Locale.ROOT))));
        args.addAll(List.of("--config", configFile.toString(), "--", lastRequest.prompt()));
        runCli(args);
    }

    // ---------------------------------------------------------------- then: the response

    @Then("the answer is {string}")
    public void answerIs(String text) {
        assertThat(succeeded().text()).isEqualTo(text);
    }

    @Then("it was served by {string} with model {string}")
    public void servedBy(String tool, String model) {
        assertThat(succeeded().tool()).isEqualTo(tool);
        assertThat(response.model()).isEqualTo(model);
    }

    @Then("the usage is {long} input and {long} output tokens")
    public void usageIs(long input, long output) {
        assertThat(succeeded().usage().inputTokens()).hasValue(input);
        assertThat(response.usage().outputTokens()).hasValue(output);
    }

    @Then("the cost is ${bigdecimal}, as reported by the tool")
    public void costReported(BigDecimal usd) {
        assertThat(succeeded().costUsd()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo(usd));
        assertThat(response.costSource()).isEqualTo(CostSource.TOOL_REPORTED);
    }

    @Then("the cost is ${bigdecimal}, computed from the price list")
    public void costComputed(BigDecimal usd) {
        assertThat(succeeded().costUsd()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo(usd));
        assertThat(response.costSource()).isEqualTo(CostSource.COMPUTED);
    }

    @Then("the attempts were:")
    public void attemptsWere(DataTable table) {
        List<Attempt> attempts = succeeded().attempts();
        List<Map<String, String>> actual = attempts.stream().map(a -> Map.of(
                "attempt", Integer.toString(a.number()), "tool", a.tool(), "model", a.model(),
                "outcome", a.outcome().storedName())).toList();
        assertThat(actual).containsExactlyElementsOf(rows(table));
    }

    @Then("the plan chose {string} and excluded {string} because {string}")
    public void planExcluded(String chosen, String excluded, String reasonStart) {
        RoutePlan plan = lastPlan();
        assertThat(plan.chosen()).hasValueSatisfying(c -> assertThat(c.tool() + "/" + c.model()).isEqualTo(chosen));
        assertThat(plan.excluded()).singleElement().satisfies(c -> {
            assertThat(c.tool() + "/" + c.model()).isEqualTo(excluded);
            assertThat(c.reason()).startsWith(reasonStart);
        });
    }

    @Then("{string} was run {int} time(s)")
    public void runTimes(String name, int times) {
        assertThat(standIns.get(name).invocationCount()).isEqualTo(times);
    }

    @Then("{string} was last run with the arguments {string} and the prompt {string} on its standard input")
    public void lastRunWith(String name, String args, String stdin) {
        List<FakeCli.Invocation> calls = standIns.get(name).invocations();
        assertThat(calls).isNotEmpty();
        FakeCli.Invocation last = calls.get(calls.size() - 1);
        assertThat(last.argv()).containsExactlyElementsOf(splitCommand(args));
        assertThat(last.stdinText()).isEqualTo(stdin);
    }

    @Then("{string} was last run with the arguments:")
    public void lastRunWithArguments(String name, DataTable args) {
        List<FakeCli.Invocation> calls = standIns.get(name).invocations();
        assertThat(calls).isNotEmpty();
        assertThat(calls.get(calls.size() - 1).argv()).containsExactlyElementsOf(args.asList());
    }

    @Then("{string} was last given the prompt {string} on its standard input")
    public void lastGivenPrompt(String name, String stdin) {
        List<FakeCli.Invocation> calls = standIns.get(name).invocations();
        assertThat(calls).isNotEmpty();
        assertThat(calls.get(calls.size() - 1).stdinText()).isEqualTo(stdin);
    }

    @Then("the processes {string} started are no longer running")
    public void processesGone(String name) {
        List<FakeCli.Invocation> calls = standIns.get(name).invocations();
        assertThat(calls).isNotEmpty();
        for (FakeCli.Invocation call : calls) {
            assertThat(call.childPids()).as("the stand-in started a child").isNotEmpty();
            assertThat(Stream.concat(Stream.of(call.pid()), call.childPids().stream()).filter(FakeCli::isRunning))
                    .as("processes of call %d", call.number()).isEmpty();
            assertThat(call.completed()).as("the stand-in was killed, it did not finish by itself").isFalse();
        }
    }

    // ---------------------------------------------------------------- then: refusals

    @Then("the request is refused by budget {string} with limit ${bigdecimal} and spent ${bigdecimal}")
    public void refusedByBudget(String budget, BigDecimal limit, BigDecimal spent) {
        assertThat(failure).isInstanceOfSatisfying(BudgetExceededException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BUDGET_EXCEEDED);
            assertThat(e.policy()).isEqualTo(budget);
            assertThat(e.limitUsd()).isEqualByComparingTo(limit);
            assertThat(e.spentUsd()).isEqualByComparingTo(spent);
        });
    }

    @Then("the refusal says {string}")
    public void refusalSays(String message) {
        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).isEqualTo(withToday(message));
    }

    @Then("the request is refused by the rate limit, to be retried within {int} seconds")
    public void refusedByRateLimit(int seconds) {
        assertThat(failure).isInstanceOfSatisfying(RateLimitedException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
            assertThat(e.retriable()).isTrue();
            assertThat(e.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(seconds));
        });
    }

    @Then("the warnings received are:")
    public void warningsAre(DataTable expected) {
        assertThat(warnings).containsExactlyElementsOf(expected.asList().stream().map(this::withToday).toList());
    }

    @Then("the configuration is rejected with the problems:")
    public void configRejected(DataTable problems) {
        assertThat(configRejection).as("the configuration was rejected").isNotNull();
        assertThat(configRejection.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
        assertThat(configRejection.problems()).extracting(ConfigProblem::toString)
                .containsExactlyElementsOf(problems.asList().stream().map(this::withPaths).toList());
        assertThat(service).as("no service was built").isNull();
    }

    // ---------------------------------------------------------------- then: the command line

    @Then("it exits with {int}")
    public void exitsWith(int code) {
        assertThat(cliResult.exitCode()).as(cliResult.toString()).isEqualTo(code);
    }

    @Then("it prints on standard output:")
    public void printsOnStdout(String text) {
        assertThat(cliResult.stdout()).as(cliResult.toString()).isEqualTo(withPaths(text) + "\n");
    }

    @Then("it prints on standard error:")
    public void printsOnStderr(String text) {
        assertThat(cliResult.stderr()).as(cliResult.toString()).isEqualTo(withPaths(withToday(text)) + "\n");
    }

    @Then("its standard output has the lines:")
    public void stdoutHasLines(DataTable lines) {
        List<String> actual = cliResult.stdout().lines().map(String::strip).toList();
        for (String line : lines.asList()) {
            assertThat(actual).as(cliResult.toString()).contains(withPaths(line));
        }
    }

    // ---------------------------------------------------------------- then: telemetry and stats

    @Then("the telemetry file records for this request:")
    public void telemetryRecords(DataTable expected) {
        String requestId = requestIds.get(requestIds.size() - 1);
        List<InvocationRecord> records = recordsOf(requestId);
        List<String> columns = expected.row(0);
        List<Map<String, String>> actual = records.stream().map(r -> project(recordColumns(r), columns)).toList();
        assertThat(actual).containsExactlyElementsOf(rows(expected));
    }

    @Then("the monthly stats by {word} are:")
    public void monthlyStats(String dimension, DataTable expected) {
        StatsReport report = service().stats(StatsQuery.builder().period(StatsPeriod.MONTH)
                .groupBy(StatsDimension.valueOf(dimension.toUpperCase(Locale.ROOT))).zone(ZoneOffset.UTC).build());
        String month = LocalDate.now(ZoneOffset.UTC).toString().substring(0, 7);
        assertThat(report.rows()).extracting(StatsRow::period).containsOnly(month);
        List<String> columns = expected.row(0);
        List<Map<String, String>> actual = report.rows().stream().map(r -> project(rowColumns(r), columns)).toList();
        assertThat(actual).containsExactlyInAnyOrderElementsOf(rows(expected));
    }

    @Then("the command line's CSV and JSON monthly reports by {word} both say:")
    public void csvAndJsonAgree(String dimension, DataTable expected) throws IOException {
        closeService(); // the command line is another process sharing the H2 file; the service's writes are flushed
        List<String> base = List.of("stats", "--period", "month", "--by", dimension, "--config", configFile.toString());
        CommandLine.Result csv = cli(concat(base, "--format", "csv"));
        assertThat(csv.exitCode()).as(csv.toString()).isZero();
        CommandLine.Result json = cli(concat(base, "--format", "json"));
        assertThat(json.exitCode()).as(json.toString()).isZero();

        List<Map<String, String>> fromCsv = new ArrayList<>();
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(csv.stdout()))) {
            assertThat(parser.getHeaderNames()).containsExactly("period", "group", "requests", "succeeded",
                    "success_rate", "attempts", "input_tokens", "output_tokens", "cache_read_tokens",
                    "cache_write_tokens", "cost_usd", "p50_latency_ms", "p95_latency_ms");
            for (CSVRecord r : parser) {
                fromCsv.add(normalized(r.toMap()));
            }
        }
        List<Map<String, String>> fromJson = new ArrayList<>();
        JsonNode rows = JSON.readTree(json.stdout()).path("rows");
        assertThat(rows.isArray()).as(json.stdout()).isTrue();
        for (JsonNode row : rows) {
            Map<String, String> m = new LinkedHashMap<>();
            // every number a JSON number (cost_usd too), the rest strings
            row.fields().forEachRemaining(f -> {
                if (!f.getKey().equals("period") && !f.getKey().equals("group")) {
                    assertThat(f.getValue().isNumber()).as(f.getKey() + " is a JSON number in " + row).isTrue();
                }
                m.put(f.getKey(), f.getValue().isNumber() ? f.getValue().decimalValue().toPlainString()
                        : f.getValue().asText());
            });
            fromJson.add(normalized(m));
        }
        Comparator<Map<String, String>> byGroup = Comparator.comparing(m -> m.get("group"));
        fromCsv.sort(byGroup);
        fromJson.sort(byGroup);
        assertThat(fromCsv).as("CSV and JSON exports agree").isEqualTo(fromJson);

        List<String> columns = expected.row(0);
        List<Map<String, String>> actual = fromCsv.stream().map(m -> project(m, columns)).toList();
        assertThat(actual).containsExactlyInAnyOrderElementsOf(rows(expected));
    }

    // ---------------------------------------------------------------- helpers

    private void addStandIn(String name, FakeCli.Builder builder) {
        FakeCli fake = builder.build(dir.resolve("tools"));
        standIns.put(name, fake);
        environment.put(binaryVariable(name), fake.binary().toString());
    }

    /** {@code claude} → {@code CLAUDE_BIN}, {@code acme-llm} → {@code ACME_LLM_BIN}. */
    private static String binaryVariable(String name) {
        return name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_BIN";
    }

    private static String captured(String file) {
        try {
            return Files.readString(REAL_CLI.resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("no captured output " + file + " in " + REAL_CLI.toAbsolutePath(), e);
        }
    }

    private Path telemetryPath() {
        return dir.resolve("telemetry").resolve("llm-service");
    }

    private LlmService service() {
        if (service == null) {
            assertThat(configFile).as("a configuration was given").isNotNull();
            service = LlmService.builder().config(configFile).environment(environment)
                    .listener(new LlmServiceListener() {
                        @Override
                        public void onRouted(String requestId, RoutePlan plan) {
                            requestIds.add(requestId);
                        }

                        @Override
                        public void onWarning(ErrorCode code, String message) {
                            warnings.add(message);
                        }
                    }).build();
        }
        return service;
    }

    private void closeService() {
        if (service != null) {
            service.close();
            service = null;
        }
    }

    private void ask(LlmRequest request) {
        lastRequest = request;
        routed = null;
        run(service().route(request));
    }

    private void run(RoutedCall call) {
        routed = call;
        response = null;
        failure = null;
        try {
            response = call.execute();
        } catch (LlmServiceException e) {
            failure = e;
        }
    }

    private LlmResponse succeeded() {
        if (response == null) {
            fail("the request did not succeed", failure);
        }
        return response;
    }

    private RoutePlan lastPlan() {
        if (routed != null) {
            return routed.plan();
        }
        return service().route(lastRequest).plan();
    }

    private static Complexity complexity(String name) {
        return Complexity.valueOf(name.toUpperCase(Locale.ROOT));
    }

    private void runCli(List<String> args) {
        closeService(); // as an operator would: the library's process is done before the command runs
        cliResult = cli(args);
    }

    private CommandLine.Result cli(List<String> args) {
        return commandLine.run(dir, environment, args);
    }

    private List<InvocationRecord> recordsOf(String requestId) {
        closeService(); // close() flushes: everything acknowledged must be in the file
        assertThat(Path.of(telemetryPath() + ".mv.db")).as("the H2 telemetry file").isRegularFile();
        TelemetryStoreProvider h2 = ServiceLoader.load(TelemetryStoreProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.type().equals("h2")).findFirst().orElseThrow();
        TelemetryStore store = h2.open(TelemetrySettings.builder().store("h2").path(telemetryPath()).privacy(Privacy.METADATA).build(), Clock.systemUTC());
        try {
            return store.findByRequest(requestId);
        } finally {
            store.close();
        }
    }

    private static Map<String, String> recordColumns(InvocationRecord r) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("attempt", Integer.toString(r.attempt()));
        m.put("agent", r.agent());
        m.put("team", r.team().orElse(""));
        m.put("tool", r.tool());
        m.put("model", r.model());
        m.put("outcome", r.outcome().storedName());
        m.put("exit code", r.exitCode().isPresent() ? Integer.toString(r.exitCode().getAsInt()) : "");
        m.put("input tokens", text(r.usage().inputTokens()));
        m.put("output tokens", text(r.usage().outputTokens()));
        m.put("cost", r.costUsd().map(AcceptanceSteps::plain).orElse(""));
        m.put("cost source", r.costSource().name().toLowerCase(Locale.ROOT));
        m.put("error code", r.errorCode().orElse(""));
        return m;
    }

    private static Map<String, String> rowColumns(StatsRow r) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("group", r.group());
        m.put("requests", Long.toString(r.requests()));
        m.put("succeeded", Long.toString(r.succeeded()));
        m.put("attempts", Long.toString(r.attempts()));
        m.put("input tokens", Long.toString(r.inputTokens()));
        m.put("output tokens", Long.toString(r.outputTokens()));
        m.put("cost", plain(r.costUsd()));
        return m;
    }

    /** Export keys as the feature tables name them; numbers without trailing zeros. */
    private static Map<String, String> normalized(Map<String, String> exported) {
        Map<String, String> m = new LinkedHashMap<>();
        exported.forEach((k, v) -> {
            String key = switch (k) {
                case "input_tokens" -> "input tokens";
                case "output_tokens" -> "output tokens";
                case "cost_usd" -> "cost";
                default -> k.replace('_', ' ');
            };
            m.put(key, v.matches("-?\\d+\\.\\d+") ? plain(new BigDecimal(v)) : v);
        });
        return m;
    }

    /** The table's rows with empty cells as "" (Cucumber gives null), for "unknown" or "none". */
    private static List<Map<String, String>> rows(DataTable table) {
        return table.asMaps().stream().map(row -> {
            Map<String, String> m = new LinkedHashMap<>();
            row.forEach((k, v) -> m.put(k, v == null ? "" : v));
            return m;
        }).toList();
    }

    private static Map<String, String> project(Map<String, String> all, List<String> columns) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String c : columns) {
            if (!all.containsKey(c)) {
                throw new IllegalArgumentException("unknown column '" + c + "'; known: " + all.keySet());
            }
            m.put(c, all.get(c));
        }
        return m;
    }

    private static String text(OptionalLong n) {
        return n.isPresent() ? Long.toString(n.getAsLong()) : "";
    }

    private static String plain(BigDecimal d) {
        return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    }

    private String withToday(String text) {
        return text.replace("{today}", LocalDate.now(ZoneOffset.UTC).toString());
    }

    private String withPaths(String text) {
        return text.replace("{dir}", dir.toString());
    }

    private static List<String> concat(List<String> a, String... b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(Arrays.asList(b));
        return all;
    }

    /** Splits like a shell would for these simple commands: on spaces, with "double quotes" kept together. */
    private static List<String> splitCommand(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char ch : line.toCharArray()) {
            if (ch == '"') {
                quoted = !quoted;
                any = true;
            } else if (ch == ' ' && !quoted) {
                if (any) {
                    words.add(current.toString());
                    current.setLength(0);
                    any = false;
                }
            } else {
                current.append(ch);
                any = true;
            }
        }
        if (any) {
            words.add(current.toString());
        }
        return words;
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
