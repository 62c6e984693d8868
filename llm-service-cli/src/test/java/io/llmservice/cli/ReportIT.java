package io.llmservice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.spi.TelemetryStoreProvider;
import io.llmservice.testkit.FakeCli;
import io.llmservice.testkit.GeneratedTraffic;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * {@code llm-service report} through the real jar over an H2 store holding a generated month
 * (November 2026, Europe/Berlin), and the file it writes opened in a real headless chromium: no
 * console error, no exception, no network request but the file itself, every chart drew marks of
 * non-zero size. Screenshots go to {@code target/report-screenshots/}.
 */
class ReportIT {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Path SCREENSHOTS = Path.of("target", "report-screenshots").toAbsolutePath();

    @TempDir
    static Path tmp;
    static Path home;
    static Path work;
    static Path store;
    static CliRun cli;

    @BeforeAll
    static void generatedMonth() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        work = Files.createDirectories(tmp.resolve("work"));
        store = tmp.resolve("telemetry");
        FakeCli claude = FakeCli.builder().stdout(CliRun.claudeSuccess()).name("claude").build(tmp.resolve("fakes"));
        CliRun.write(work.resolve("llm-service.yaml"), """
                tools:
                  claude-code:
                    extends: claude-code
                    binary: "%s"
                agents:
                  reviewer:
                    team: platform
                    tool: claude-code
                    model: claude-sonnet-4-5
                policies:
                  default_agent: reviewer
                  timezone: Europe/Berlin
                  telemetry: {store: h2, path: %s}
                  budgets:
                    - name: platform-monthly
                      scope: {team: platform}
                      period: monthly
                      limit: {usd: 60.00, type: hard}
                      warn_at: 0.8
                    - name: everything-daily
                      scope: {}
                      period: daily
                      limit: {usd: 5.00, type: soft}
                    - name: haiku-weekly
                      scope: {model: claude-haiku-4-5}
                      period: weekly
                      limit: {usd: 3.00, type: hard}
                """.formatted(claude.binary(), store));
        try (TelemetryStore h2 = provider().open(h2(), Clock.systemUTC())) {
            new GeneratedTraffic(17, BERLIN, 60).between(LocalDate.of(2026, 11, 1), LocalDate.of(2026, 12, 1),
                    h2::record);
        }
        cli = new CliRun(home, work);
    }

    @AfterAll
    static void stop() {
        if (cli != null) {
            cli.close();
        }
        provider().server(h2()).ifPresent(s -> s.stop(Duration.ofSeconds(20)));
    }

    private static TelemetrySettings h2() {
        return TelemetrySettings.builder().store("h2").path(store).build();
    }

    private static TelemetryStoreProvider provider() {
        return ServiceLoader.load(TelemetryStoreProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.type().equals("h2")).findFirst().orElseThrow();
    }

    @Test
    void report_month_writesOneFileAtomically_printsItsPath_andTotalsEqualStats() throws Exception {
        CliRun.Result r = cli.run("report", "--period", "month", "--from", "2026-11-01", "--by", "team",
                "-o", "out/spend.html");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        Path file = work.resolve("out/spend.html");
        assertThat(r.stdout()).isEqualTo(file + "\n");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactly("spend.html");
        }
        Path reference = Files.createFile(file.resolveSibling("reference"));   // the umask's mode, as any new file
        assertThat(Files.getPosixFilePermissions(file)).as("not the owner-only mode of a temporary file")
                .isEqualTo(Files.getPosixFilePermissions(reference));
        String html = Files.readString(file);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("2026-11-01 to 2026-11-30 (Europe/Berlin), 30 days",
                "platform-monthly", "everything-daily", "haiku-weekly");

        CliRun.Result stats = cli.run("stats", "--format", "csv", "--period", "month", "--by", "team", "--since",
                "2026-11-01", "--until", "2026-12-01");
        assertThat(stats.exitCode()).as(stats.toString()).isZero();
        BigDecimal cost = BigDecimal.ZERO;
        long requests = 0;
        try (CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(stats.stdout()))) {
            for (CSVRecord row : p.getRecords()) {
                cost = cost.add(new BigDecimal(row.get("cost_usd")));
                requests += Long.parseLong(row.get("requests"));
            }
        }
        assertThat(requests).isGreaterThan(1000);
        assertThat(html).contains("Spend<b>$" + cost.setScale(2, RoundingMode.HALF_UP).toPlainString() + "</b>",
                "Requests<b>" + String.format(java.util.Locale.ROOT, "%,d", requests) + "</b>");
    }

    @Test
    void report_badInput_isAUsageErrorNamingOptionAndValue() {
        CliRun.Result both = cli.run("report", "--period", "month", "--to", "2026-12-01", "-o", "x.html");
        assertThat(both.exitCode()).as(both.toString()).isEqualTo(2);
        assertThat(both.stderr()).startsWith("error: --period month and --to '2026-12-01' cannot be combined\nhint: ");

        CliRun.Result by = cli.run("report", "--by", "colour", "-o", "x.html");
        assertThat(by.exitCode()).as(by.toString()).isEqualTo(2);
        assertThat(by.stderr()).contains("--by", "colour");

        CliRun.Result date = cli.run("report", "--from", "last tuesday", "-o", "x.html");
        assertThat(date.exitCode()).as(date.toString()).isEqualTo(2);
        assertThat(date.stderr()).startsWith("error: --from 'last tuesday' is not a date or an instant\nhint: ");

        CliRun.Result backwards = cli.run("report", "--from", "2026-12-01", "--to", "2026-11-01", "-o", "x.html");
        assertThat(backwards.exitCode()).as(backwards.toString()).isEqualTo(2);
        assertThat(backwards.stderr()).contains("must be before");

        CliRun.Result noFile = cli.run("report");
        assertThat(noFile.exitCode()).as(noFile.toString()).isEqualTo(2);
        assertThat(noFile.stderr()).contains("--output");
        assertThat(work.resolve("x.html")).doesNotExist();
    }

    @Test
    void report_inHeadlessChromium_drawsEveryChart_withNoErrorAndNoNetwork() throws Exception {
        Path chromium = chromiumOrSkip();
        record Case(String name, List<String> args, boolean empty) {
        }
        List<Case> cases = List.of(
                new Case("month", List.of("--period", "month", "--from", "2026-11-01"), false),
                new Case("empty", List.of("--period", "month", "--from", "2025-03-01"), true),
                new Case("one-day", List.of("--period", "day", "--from", "2026-11-17"), false));
        for (Case c : cases) {
            List<String> args = new ArrayList<>(List.of("report"));
            args.addAll(c.args());
            args.addAll(List.of("-o", c.name() + ".html"));
            CliRun.Result r = cli.run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.toString()).isZero();
            Path file = work.resolve(c.name() + ".html");
            String url = file.toUri().toString();

            try (HeadlessChromium browser = new HeadlessChromium(chromium, tmp.resolve("profile-" + c.name()))) {
                open(browser, url);
                JsonNode drawn = charts(browser);
                String text = browser.evaluate("document.body.innerText").asText();
                browser.screenshot(SCREENSHOTS.resolve(c.name() + ".png"));
                browser.screenshot(SCREENSHOTS.resolve(c.name() + "-top.png"), 1500);   // docs/images/report.png

                List<String> problems = problems(browser, url);
                assertThat(problems).as(c.name() + ": console errors, exceptions or network requests").isEmpty();
                if (c.empty()) {
                    assertThat(drawn).as(c.name()).isEmpty();
                    assertThat(text).contains("No calls were recorded between 2025-03-01 and 2025-03-31 (Europe/Berlin).");
                } else {
                    // spend, three budgets, tokens, latency, outcomes
                    assertThat(drawn).as(c.name() + ": " + drawn).hasSize(7);
                    for (JsonNode chart : drawn) {
                        assertThat(chart.path("marks").asInt()).as(chart.toString()).isPositive();
                        assertThat(chart.path("width").asDouble()).as(chart.toString()).isGreaterThan(100);
                        assertThat(chart.path("height").asDouble()).as(chart.toString()).isGreaterThan(50);
                    }
                }
            }
            assertThat(SCREENSHOTS.resolve(c.name() + ".png")).isNotEmptyFile();
        }
    }

    /** The check above is one that can fail: a page that loads an image and logs an error is caught twice. */
    @Test
    void browserCheck_catchesANetworkRequestAndAConsoleError() throws Exception {
        Path chromium = chromiumOrSkip();
        Path page = work.resolve("hostile.html");
        Files.writeString(page, "<!DOCTYPE html><html><body><img src=\"http://127.0.0.1:9/pixel.png\">"
                + "<script>console.error('boom')</script></body></html>");
        String url = page.toUri().toString();
        try (HeadlessChromium browser = new HeadlessChromium(chromium, tmp.resolve("profile-hostile"))) {
            open(browser, url);
            List<String> problems = problems(browser, url);
            assertThat(problems).as(problems.toString())
                    .anySatisfy(p -> assertThat(p).contains("Network.requestWillBeSent", "127.0.0.1:9/pixel.png"))
                    .anySatisfy(p -> assertThat(p).contains("boom"));
        }
    }

    /** A chart whose only marks are a budget's limit line and a refusal marker has no bar drawn. */
    @Test
    void browserCheck_countsBarsOnly_notLimitLinesOrRefusalMarkers() throws Exception {
        Path chromium = chromiumOrSkip();
        Path page = work.resolve("no-bars.html");
        Files.writeString(page, "<!DOCTYPE html><html><body><svg class=\"chart\" viewBox=\"0 0 400 200\" aria-label=\"b\">"
                + "<rect class=\"mark line\" x=\"10\" y=\"50\" width=\"380\" height=\"2\"></rect>"
                + "<path class=\"mark refusal\" d=\"M20 40 L30 40 L25 48 Z\"></path></svg></body></html>");
        try (HeadlessChromium browser = new HeadlessChromium(chromium, tmp.resolve("profile-no-bars"))) {
            open(browser, page.toUri().toString());
            JsonNode drawn = charts(browser);
            assertThat(drawn).hasSize(1);
            assertThat(drawn.get(0).path("marks").asInt()).as(drawn.toString()).isZero();
            assertThat(tmp.resolve("profile-no-bars-home/tmp")).as("chromium's temporary files (its singleton socket)"
                    + " are the test's too, not left in /tmp").isNotEmptyDirectory();
        }
        assertThat(tmp.resolve("profile-no-bars-home")).as("chromium's HOME is the test's, not the real one")
                .isNotEmptyDirectory();
    }

    /** Per chart: its label, how many bars are drawn with a non-empty box (limit lines and markers aside), its size. */
    private static JsonNode charts(HeadlessChromium browser) throws java.io.IOException {
        JsonNode charts = browser.evaluate("""
                JSON.stringify([...document.querySelectorAll('svg.chart')].map(svg => {
                  const marks = [...svg.querySelectorAll('.mark:not(.line):not(.refusal)')].filter(m => {
                    const b = m.getBBox(); return b.width > 0 && b.height > 0; });
                  const r = svg.getBoundingClientRect();
                  return {label: svg.getAttribute('aria-label'), marks: marks.length,
                          width: r.width, height: r.height};
                }))""");
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(charts.asText());
    }

    private static void open(HeadlessChromium browser, String url) throws InterruptedException {
        for (String domain : List.of("Runtime", "Log", "Network", "Page")) {
            browser.send(domain + ".enable", Map.of());
        }
        int before = browser.events().size();
        browser.send("Page.navigate", Map.of("url", url));
        browser.await("Page.loadEventFired", before);
        Thread.sleep(300);   // late console messages and requests, if any
    }

    /** Console errors, exceptions and network requests other than the page itself. */
    private static List<String> problems(HeadlessChromium browser, String url) {
        List<String> problems = new ArrayList<>();
        for (JsonNode e : browser.events()) {
            String method = e.path("method").asText();
            JsonNode p = e.path("params");
            if (method.equals("Runtime.exceptionThrown")
                    || method.equals("Runtime.consoleAPICalled") && p.path("type").asText().equals("error")
                    || method.equals("Log.entryAdded") && p.path("entry").path("level").asText().equals("error")
                    || method.equals("Network.requestWillBeSent")
                    && !p.path("request").path("url").asText().equals(url)) {
                problems.add(e.toString());
            }
        }
        return problems;
    }

    private static Path chromiumOrSkip() {
        java.util.Optional<Path> found = HeadlessChromium.find();
        if (found.isEmpty() && System.getenv("LLM_SERVICE_REQUIRE_CHROMIUM") != null) {
            throw new AssertionError("LLM_SERVICE_REQUIRE_CHROMIUM is set but no chromium is on PATH or in /usr/bin;"
                    + " install Debian's chromium (apt-get install chromium)");
        }
        assumeThat(found).as("chromium is not installed (apt-get install chromium); the report is not opened in a"
                + " browser. Set LLM_SERVICE_REQUIRE_CHROMIUM=1 to make this a failure").isPresent();
        return found.get();
    }
}
