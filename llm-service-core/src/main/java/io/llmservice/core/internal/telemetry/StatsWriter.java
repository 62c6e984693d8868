package io.llmservice.core.internal.telemetry;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.llmservice.StatsFormat;
import io.llmservice.StatsReport;
import io.llmservice.StatsRow;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@link StatsReport}s as CSV (Apache Commons CSV, RFC 4180 with a header row) or JSON
 * (Jackson). Both carry the same columns, so the two exports of one report agree value for value.
 * In JSON every count, rate, cost and latency is a JSON number (a cost as exact decimal, never in
 * exponent notation); period and group are strings. Thread-safe.
 */
public final class StatsWriter {
    /** Column names, in order, of both formats. */
    public static final List<String> COLUMNS = List.of("period", "group", "requests", "succeeded", "success_rate",
            "attempts", "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "cost_usd",
            "p50_latency_ms", "p95_latency_ms");

    /** Made on the first JSON report, not with the service: a call that writes none never starts jackson-databind. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false)
                .configure(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, true);
    }

    public void write(StatsReport report, StatsFormat format, Writer out) {
        try {
            switch (format) {
                case CSV -> writeCsv(report, out);
                case JSON -> writeJson(report, out);
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the stats report: " + e.getMessage(), e);
        }
    }

    private void writeCsv(StatsReport report, Writer out) throws IOException {
        CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader(COLUMNS.toArray(String[]::new))
                .build());
        for (StatsRow row : report.rows()) {
            csv.printRecord(values(row).values().stream()
                    .map(v -> v instanceof BigDecimal d ? d.toPlainString() : v).toList());
        }
        csv.flush();
    }

    private void writeJson(StatsReport report, Writer out) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("period", report.query().period().yamlName());
        q.put("group_by", report.query().groupBy().yamlName());
        q.put("since", report.query().since().map(Object::toString).orElse(null));
        q.put("until", report.query().until().map(Object::toString).orElse(null));
        q.put("zone", report.query().zone().getId());
        doc.put("query", q);
        doc.put("rows", report.rows().stream().map(StatsWriter::values).toList());
        Json.MAPPER.writeValue(out, doc);
    }

    private static Map<String, Object> values(StatsRow r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("period", r.period());
        m.put("group", r.group());
        m.put("requests", r.requests());
        m.put("succeeded", r.succeeded());
        m.put("success_rate", BigDecimal.valueOf(r.successRate()).setScale(4, RoundingMode.HALF_UP));
        m.put("attempts", r.attempts());
        m.put("input_tokens", r.inputTokens());
        m.put("output_tokens", r.outputTokens());
        m.put("cache_read_tokens", r.cacheReadTokens());
        m.put("cache_write_tokens", r.cacheWriteTokens());
        // A number: CSV prints it as written (plain, no trailing zeros), JSON as a JSON number.
        m.put("cost_usd", plain(r.costUsd()));
        m.put("p50_latency_ms", r.p50Latency().toMillis());
        m.put("p95_latency_ms", r.p95Latency().toMillis());
        return m;
    }

    /** Without trailing zeros, and with a scale of at least 0 so that 100 does not become 1E+2. */
    private static BigDecimal plain(BigDecimal usd) {
        BigDecimal stripped = usd.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
