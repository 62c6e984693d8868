package io.llmservice.core.internal.whatif;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.llmservice.StatsFormat;
import io.llmservice.WhatIfBudget;
import io.llmservice.WhatIfCost;
import io.llmservice.WhatIfMove;
import io.llmservice.WhatIfReport;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@link WhatIfReport}s as CSV (Apache Commons CSV, RFC 4180 with a header row, as {@code stats}
 * does) or JSON (Jackson). Both hold the whole report. The CSV has one row per agent, one for the total,
 * one per move, one per budget, one per line of what was not replayed and one per assumption (the {@code
 * section} column says which: {@code agent}, {@code total}, {@code move}, {@code budget}, {@code
 * not_replayed}, {@code assumption}); a row leaves empty the columns its section does not use, and the text
 * of the last two is in {@code note}. The JSON holds window, totals, moves, budgets, what was not replayed
 * and the assumptions. Costs are exact decimals, never in exponent notation.
 * Thread-safe.
 */
public final class WhatIfWriter {
    /** Column names of the CSV, in order. */
    public static final List<String> COLUMNS = List.of("section", "agent", "from_tool", "from_model", "to_tool",
            "to_model", "requests", "recorded_usd", "proposed_usd", "difference_usd", "percent", "budget", "scope",
            "period", "limit_usd", "limit_type", "on_exceed", "refused", "downgraded", "over", "ran_out_on",
            "periods_run_out", "note");
    /** The budget columns and {@code note} that agent, total and move rows leave empty. */
    private static final int TAIL = 12;

    /** Made on the first JSON report, not with the service. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false)
                .configure(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, true);
    }

    public void write(WhatIfReport report, StatsFormat format, Writer out) {
        try {
            switch (format) {
                case CSV -> writeCsv(report, out);
                case JSON -> {
                    Json.MAPPER.writeValue(out, document(report));
                    out.write('\n');
                }
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the what-if report: " + e.getMessage(), e);
        }
    }

    private static void writeCsv(WhatIfReport report, Writer out) throws IOException {
        CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader(COLUMNS.toArray(String[]::new))
                .build());
        for (WhatIfCost c : report.agents()) {
            csv.printRecord(costRow("agent", c));
        }
        csv.printRecord(costRow("total", report.total()));
        for (WhatIfMove m : report.moves()) {
            WhatIfCost asCost = new WhatIfCost("", m.requests(), m.recordedUsd(), m.proposedUsd());
            List<Object> row = new ArrayList<>(List.of("move", "", m.fromTool(), m.fromModel(), m.toTool(),
                    m.toModel(), m.requests(), plain(m.recordedUsd()), plain(m.proposedUsd()),
                    plain(asCost.differenceUsd())));
            row.add(asCost.percent().map(WhatIfWriter::plain).orElse(null));
            csv.printRecord(tail(row));
        }
        for (WhatIfBudget b : report.budgets()) {
            List<Object> row = new ArrayList<>(List.of("budget", "", "", "", "", "", "", "", "", "", ""));
            budget(b).forEach((k, v) -> row.add(v));
            row.add("");
            csv.printRecord(row);
        }
        for (String line : report.notReplayed()) {
            csv.printRecord(noteRow("not_replayed", line));
        }
        for (String line : report.assumptions()) {
            csv.printRecord(noteRow("assumption", line));
        }
        csv.flush();
    }

    private static List<Object> costRow(String section, WhatIfCost c) {
        List<Object> row = new ArrayList<>(List.of(section, c.agent(), "", "", "", "", c.requests(),
                plain(c.recordedUsd()), plain(c.proposedUsd()), plain(c.differenceUsd())));
        row.add(c.percent().map(WhatIfWriter::plain).orElse(null));
        return tail(row);
    }

    private static List<Object> tail(List<Object> row) {
        for (int i = 0; i < TAIL; i++) {
            row.add("");
        }
        return row;
    }

    private static List<Object> noteRow(String section, String note) {
        List<Object> row = new ArrayList<>();
        row.add(section);
        for (int i = 1; i < COLUMNS.size() - 1; i++) {
            row.add("");
        }
        row.add(note);
        return row;
    }

    /** The whole report as ordered maps and lists, for JSON. */
    public static Map<String, Object> document(WhatIfReport r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("from", r.from().toString());
        doc.put("to", r.to().toString());
        doc.put("strategy", r.strategy());
        doc.put("requests", r.requests());
        doc.put("agents", r.agents().stream().map(WhatIfWriter::cost).toList());
        doc.put("total", cost(r.total()));
        doc.put("moves", r.moves().stream().map(WhatIfWriter::move).toList());
        doc.put("budgets", r.budgets().stream().map(WhatIfWriter::budget).toList());
        doc.put("not_replayed", r.notReplayed());
        doc.put("assumptions", r.assumptions());
        return doc;
    }

    private static Map<String, Object> cost(WhatIfCost c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agent", c.agent());
        m.put("requests", c.requests());
        m.put("recorded_usd", plain(c.recordedUsd()));
        m.put("proposed_usd", plain(c.proposedUsd()));
        m.put("difference_usd", plain(c.differenceUsd()));
        m.put("percent", c.percent().map(WhatIfWriter::plain).orElse(null));
        return m;
    }

    private static Map<String, Object> move(WhatIfMove mv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from_tool", mv.fromTool());
        m.put("from_model", mv.fromModel());
        m.put("to_tool", mv.toTool());
        m.put("to_model", mv.toModel());
        m.put("requests", mv.requests());
        m.put("recorded_usd", plain(mv.recordedUsd()));
        m.put("proposed_usd", plain(mv.proposedUsd()));
        return m;
    }

    private static Map<String, Object> budget(WhatIfBudget b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", b.budget().name());
        m.put("scope", b.budget().scope().toString());
        m.put("period", b.budget().period().yamlName());
        m.put("limit_usd", plain(b.budget().limitUsd()));
        m.put("limit_type", b.budget().limitType().yamlName());
        m.put("on_exceed", b.budget().onExceed().yamlName());
        m.put("refused", b.refused());
        m.put("downgraded", b.downgraded());
        m.put("over", b.over());
        m.put("ran_out_on", b.ranOutOn().map(Object::toString).orElse(null));
        m.put("periods_run_out", b.periodsRunOut());
        return m;
    }

    /** Without trailing zeros, and with a scale of at least 0 so that 100 does not become 1E+2. */
    private static BigDecimal plain(BigDecimal usd) {
        BigDecimal stripped = usd.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
