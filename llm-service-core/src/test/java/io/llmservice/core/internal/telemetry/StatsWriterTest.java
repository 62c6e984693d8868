package io.llmservice.core.internal.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmservice.StatsDimension;
import io.llmservice.StatsFormat;
import io.llmservice.StatsPeriod;
import io.llmservice.StatsQuery;
import io.llmservice.StatsReport;
import io.llmservice.StatsRow;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StatsWriterTest {
    private final StatsWriter writer = new StatsWriter();

    private static StatsReport report() {
        StatsQuery q = StatsQuery.builder().period(StatsPeriod.MONTH).groupBy(StatsDimension.AGENT)
                .since(Instant.parse("2026-11-01T00:00:00Z")).zone(ZoneId.of("Europe/Berlin")).build();
        return new StatsReport(q, List.of(
                StatsRow.builder().period("2026-11").group("code-reviewer").requests(3).succeeded(2).attempts(4)
                        .tokens(1200, 300, 50, 0).costUsd(new BigDecimal("0.004500"))
                        .latency(Duration.ofMillis(850), Duration.ofMillis(2100)).build(),
                // a group name that needs CSV quoting
                StatsRow.builder().period("2026-11").group("writer, \"docs\"").requests(1).succeeded(1).attempts(1)
                        .tokens(10, 5, 0, 0).costUsd(new BigDecimal("0.0001"))
                        .latency(Duration.ofMillis(90), Duration.ofMillis(90)).build()));
    }

    @Test
    void csv_headerAndRowsParseBackExactly() throws IOException {
        StringWriter out = new StringWriter();
        writer.write(report(), StatsFormat.CSV, out);
        try (CSVParser csv = CSVParser.parse(new StringReader(out.toString()),
                CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build())) {
            assertThat(csv.getHeaderNames()).isEqualTo(StatsWriter.COLUMNS);
            List<CSVRecord> rows = csv.getRecords();
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0).toMap()).containsEntry("group", "code-reviewer").containsEntry("requests", "3")
                    .containsEntry("succeeded", "2").containsEntry("success_rate", "0.6667")
                    .containsEntry("attempts", "4").containsEntry("input_tokens", "1200")
                    .containsEntry("cache_read_tokens", "50").containsEntry("cost_usd", "0.0045")
                    .containsEntry("p50_latency_ms", "850").containsEntry("p95_latency_ms", "2100");
            assertThat(rows.get(1).get("group")).isEqualTo("writer, \"docs\"");
        }
    }

    @Test
    void json_carriesQueryAndTheSameValuesAsCsv() throws IOException {
        StringWriter csvOut = new StringWriter();
        StringWriter jsonOut = new StringWriter();
        writer.write(report(), StatsFormat.CSV, csvOut);
        writer.write(report(), StatsFormat.JSON, jsonOut);
        JsonNode doc = new ObjectMapper().readTree(jsonOut.toString());
        assertThat(doc.at("/query/period").asText()).isEqualTo("month");
        assertThat(doc.at("/query/group_by").asText()).isEqualTo("agent");
        assertThat(doc.at("/query/since").asText()).isEqualTo("2026-11-01T00:00:00Z");
        assertThat(doc.at("/query/until").isNull()).isTrue();
        assertThat(doc.at("/query/zone").asText()).isEqualTo("Europe/Berlin");

        try (CSVParser csv = CSVParser.parse(new StringReader(csvOut.toString()),
                CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build())) {
            List<CSVRecord> rows = csv.getRecords();
            for (int i = 0; i < rows.size(); i++) {
                JsonNode row = doc.get("rows").get(i);
                for (String column : StatsWriter.COLUMNS) {
                    JsonNode value = row.get(column);
                    if (value.isNumber()) {
                        assertThat(value.decimalValue()).as(column)
                                .isEqualByComparingTo(new BigDecimal(rows.get(i).get(column)));
                    } else {
                        assertThat(value.asText()).as(column).isEqualTo(rows.get(i).get(column));
                    }
                }
            }
        }
    }

    @Test
    void json_everyNumberIsAJsonNumber() throws IOException {
        StringWriter out = new StringWriter();
        StatsReport report = new StatsReport(StatsQuery.builder().build(), List.of(
                StatsRow.builder().period("2026-11").group("claude-sonnet-4-5").requests(1).succeeded(1).attempts(1)
                        .tokens(600, 60, 0, 0).costUsd(new BigDecimal("100.000"))
                        .latency(Duration.ofMillis(90), Duration.ofMillis(90)).build()));
        writer.write(report, StatsFormat.JSON, out);
        JsonNode row = new ObjectMapper().readTree(out.toString()).get("rows").get(0);
        for (String column : StatsWriter.COLUMNS) {
            if (!column.equals("period") && !column.equals("group")) {
                assertThat(row.get(column).isNumber()).as(column + " is a JSON number in " + row).isTrue();
            }
        }
        // exact and plain: not "1E+2", not a string
        assertThat(out.toString()).contains("\"cost_usd\" : 100,").doesNotContain("E+");
        assertThat(row.get("cost_usd").decimalValue()).isEqualByComparingTo("100");
    }

    @Test
    void emptyReport_csvHasOnlyTheHeader() {
        StringWriter out = new StringWriter();
        writer.write(new StatsReport(StatsQuery.builder().build(), List.of()), StatsFormat.CSV, out);
        assertThat(out.toString().strip()).isEqualTo(String.join(",", StatsWriter.COLUMNS));
    }
}
