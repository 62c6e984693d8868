package io.llmservice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmservice.testkit.FakeCli;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code llm-service whatif} and {@code report --whatif} through the real jar: two calls recorded in an
 * H2 store on big ($10/$50 per million tokens; 1,000 in + 1,000 out = $0.06 each), replayed under
 * {@code cost-optimized}, which sends the short prompts to small ($1/$5: $0.006 each).
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "FakeCli and the H2 daemon as in CliIT")
class WhatIfCliIT {
    @TempDir
    Path tmp;

    Path work;
    CliRun cli;

    @BeforeEach
    void setUp() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        work = Files.createDirectories(tmp.resolve("work"));
        cli = new CliRun(home, work);
    }

    @AfterEach
    void tearDown() {
        cli.close();
    }

    private String yaml(Path binary, String strategy) {
        return """
                models:
                  big:   {provider: acme, tier: premium, context_window: 200000, pricing: {input: 10, output: 50, cache_read: 0, cache_write: 0}}
                  small: {provider: acme, tier: economy, context_window: 200000, pricing: {input: 1, output: 5, cache_read: 0, cache_write: 0}}
                tools:
                  acme:
                    type: cli
                    binary: "%s"
                    args: ["run", "--model", "{model}"]
                    models: {big: big-v1, small: small-v1}
                    output: {format: json, text: $.text, input_tokens: $.in, output_tokens: $.out}
                agents:
                  reviewer: {tool: acme, model: big}
                policies:
                  default_agent: reviewer
                  routing: {strategy: %s, small_prompt_tokens: 2000}
                  telemetry: {store: h2, path: "%s"}
                """.formatted(binary, strategy, tmp.resolve("telemetry"));
    }

    /** Records two calls under preference (on big) and writes proposed.yaml (cost-optimized). */
    private void recordTwoCalls() {
        FakeCli acme = FakeCli.builder().name("acme").stdout("{\"text\": \"ok\", \"in\": 1000, \"out\": 1000}")
                .build(tmp.resolve("fakes"));
        CliRun.write(work.resolve("llm-service.yaml"), yaml(acme.binary(), "preference"));
        CliRun.write(work.resolve("proposed.yaml"), yaml(acme.binary(), "cost-optimized"));
        assertThat(cli.run("exec", "Review this diff").exitCode()).isZero();
        assertThat(cli.run("exec", "Review that diff").exitCode()).isZero();
        assertThat(acme.invocations()).hasSize(2);
    }

    @Test
    void whatif_textJsonAndCsv_reportTheSavingsOfTheProposedConfiguration() throws Exception {
        recordTwoCalls();

        CliRun.Result text = cli.run("whatif", "--config", "proposed.yaml", "--since", "30d");
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.stdout()).as(text.toString())
                .contains("What if: 2 request(s) from ", " replayed under routing strategy 'cost-optimized'")
                .containsPattern("reviewer +2 +0\\.1200 +0\\.0120 +-0\\.1080 +-90\\.00%")
                .containsPattern("acme/big +acme/small +2 +0\\.1200 +0\\.0120")
                .contains("\nAssumptions:\n- Token counts are carried over unchanged");
        assertThat(text.stdout().indexOf("Assumptions:")).isGreaterThan(text.stdout().indexOf("acme/small"));

        CliRun.Result json = cli.run("whatif", "--config", "proposed.yaml", "--format", "json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        JsonNode doc = new ObjectMapper().readTree(json.stdout());
        assertThat(doc.get("requests").asLong()).isEqualTo(2);
        assertThat(doc.get("strategy").asText()).isEqualTo("cost-optimized");
        assertThat(doc.get("total").get("recorded_usd").decimalValue()).isEqualByComparingTo("0.12");
        assertThat(doc.get("total").get("proposed_usd").decimalValue()).isEqualByComparingTo("0.012");
        assertThat(doc.get("total").get("percent").decimalValue()).isEqualByComparingTo("-90");
        assertThat(doc.get("moves").get(0).get("to_model").asText()).isEqualTo("small");
        assertThat(doc.get("from").asText()).isEqualTo("1970-01-01T00:00:00Z");   // no --since: the whole log

        Path previous = Files.writeString(work.resolve("whatif.csv"), "last week's");
        Path link = Files.createLink(work.resolve("whatif-last-week.csv"), previous);
        CliRun.Result csv = cli.run("whatif", "--config", "proposed.yaml", "--from", "2020-01-01", "--until",
                "2100-01-01", "--format", "csv", "--output", "whatif.csv");
        assertThat(csv.exitCode()).as(csv.toString()).isZero();
        assertThat(csv.stderr()).contains("wrote ");
        assertThat(link).as("--output moves a new file into place, never truncates the old one").hasContent("last week's");
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(Files.readString(work.resolve("whatif.csv"), StandardCharsets.UTF_8)))) {
            List<CSVRecord> rows = parser.getRecords();
            assertThat(rows).filteredOn(r -> List.of("agent", "total", "move").contains(r.get("section")))
                    .extracting(r -> r.get("section") + " " + r.get("agent") + " " + r.get("from_model") + " "
                            + r.get("to_model") + " " + r.get("requests") + " " + r.get("recorded_usd") + " "
                            + r.get("proposed_usd") + " " + r.get("difference_usd") + " " + r.get("percent"))
                    .containsExactly("agent reviewer   2 0.12 0.012 -0.108 -90",
                            "total (total)   2 0.12 0.012 -0.108 -90",
                            "move  big small 2 0.12 0.012 -0.108 -90");
            // the rest of the report follows: what was not replayed (nothing here) and the assumptions
            assertThat(rows).filteredOn(r -> r.get("section").equals("assumption")).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.get("note")).isNotBlank());
        }
    }

    @Test
    void whatif_withoutProposedConfiguration_isAUsageError() {
        CliRun.write(work.resolve("llm-service.yaml"), yaml(Path.of("/bin/true"), "preference"));
        CliRun.Result r = cli.run("whatif", "--since", "30d");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).startsWith("error: whatif needs the proposed configuration\nhint: name it with"
                + " --config proposed.yaml");
    }

    @Test
    void whatif_noCurrentConfiguration_namesRecordedNotConfig() {
        CliRun.write(work.resolve("proposed.yaml"), yaml(Path.of("/bin/true"), "cost-optimized"));
        CliRun.Result r = cli.run("whatif", "--config", "proposed.yaml");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).as(r.toString()).startsWith("error: no configuration found: no --recorded, no $LLM_SERVICE_CONFIG,")
                .contains("\nhint: name the current configuration, whose telemetry store holds the recorded requests,"
                        + " with --recorded PATH (--config names the proposed one)");
    }

    @Test
    void whatif_recordedIsTheProposedFile_warnsThatItComparesItWithItself() {
        recordTwoCalls();
        CliRun.Result r = cli.run("whatif", "--config", "llm-service.yaml");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stderr()).as(r.toString()).contains("warning: the recorded requests' configuration "
                + work.resolve("llm-service.yaml") + " (from ./llm-service.yaml) is the proposed one too: the replay"
                + " compares it with itself; name the current configuration with --recorded");

        CliRun.Result other = cli.run("whatif", "--config", "proposed.yaml");
        assertThat(other.exitCode()).as(other.toString()).isZero();
        assertThat(other.stderr()).doesNotContain("warning:");
    }

    @Test
    void whatif_invalidProposedConfiguration_namesFileLineAndColumn() {
        CliRun.write(work.resolve("llm-service.yaml"), yaml(Path.of("/bin/true"), "preference"));
        CliRun.write(work.resolve("proposed.yaml"), yaml(Path.of("/bin/true"), "cheapest"));
        CliRun.Result r = cli.run("whatif", "--config", "proposed.yaml");
        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.stderr()).contains("proposed.yaml:15:").contains("cheapest");
    }

    @Test
    void report_whatif_addsTheWhatIfSection() throws Exception {
        recordTwoCalls();
        CliRun.Result r = cli.run("report", "--period", "month", "--whatif", "proposed.yaml", "-o", "spend.html");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String page = Files.readString(work.resolve("spend.html"), StandardCharsets.UTF_8);
        assertThat(page).contains("<section id=\"whatif\"><h2>What if</h2>",
                "2 requests from ", "<th scope=\"row\">acme/big</th><td>acme/small</td>", "<h3>Assumptions</h3>");
    }
}
