package io.llmservice.core.internal.whatif;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmservice.StatsFormat;
import io.llmservice.WhatIfReport;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WhatIfWriterTest {
    private final WhatIfReport report = WhatIfReplayTest.replay(WhatIfReplayTest.log(), new ArrayList<>());

    @Test
    void csv_oneRowPerAgent_theTotal_theMoves_theBudgets_whatWasNotReplayed_andTheAssumptions() throws Exception {
        StringWriter out = new StringWriter();
        new WhatIfWriter().write(report, StatsFormat.CSV, out);
        String empty = ",".repeat(12);
        List<String> lines = List.of(out.toString().split("\r\n"));
        assertThat(lines.subList(0, 9)).containsExactly(
                "section,agent,from_tool,from_model,to_tool,to_model,requests,recorded_usd,proposed_usd,difference_usd,"
                        + "percent,budget,scope,period,limit_usd,limit_type,on_exceed,refused,downgraded,over,"
                        + "ran_out_on,periods_run_out,note",
                "agent,reviewer,,,,,5,0.25,0.154,-0.096,-38.4" + empty,
                "agent,writer,,,,,2,0.038,0.006,-0.032,-84.21" + empty,
                "total,(total),,,,,7,0.288,0.16,-0.128,-44.44" + empty,
                "move,,acme,big,acme,big,3,0.13,0.13,0,0" + empty,
                "move,,acme,big,acme,mid,1,0.06,0.018,-0.042,-70" + empty,
                "move,,acme,big,acme,small,1,0.06,0.006,-0.054,-90" + empty,
                "move,,acme,mid,(refused by writer-daily),,1,0.018,0,-0.018,-100" + empty,
                "move,,acme,mid,acme,small,1,0.02,0.006,-0.014,-70" + empty);
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(out.toString())).getRecords();
        assertThat(rows).allSatisfy(r -> assertThat(r.size()).isEqualTo(WhatIfWriter.COLUMNS.size()));
        assertThat(rows).filteredOn(r -> r.get("section").equals("budget"))
                .extracting(r -> r.get("budget") + " " + r.get("on_exceed") + " refused " + r.get("refused")
                        + " downgraded " + r.get("downgraded") + " ran out " + r.get("ran_out_on"))
                .containsExactly("reviewer-daily downgrade refused 0 downgraded 1 ran out 2026-11-01",
                        "writer-daily block refused 1 downgraded 0 ran out 2026-11-01");
        assertThat(rows).filteredOn(r -> r.get("section").equals("not_replayed")).extracting(r -> r.get("note"))
                .containsExactlyElementsOf(report.notReplayed());
        assertThat(rows).filteredOn(r -> r.get("section").equals("assumption")).extracting(r -> r.get("note"))
                .containsExactlyElementsOf(report.assumptions());
    }

    @Test
    void json_holdsTheWholeReport_withPlainNumbers() throws Exception {
        StringWriter out = new StringWriter();
        new WhatIfWriter().write(report, StatsFormat.JSON, out);
        assertThat(out.toString()).doesNotContain("E-").endsWith("\n");
        JsonNode doc = new ObjectMapper().readTree(out.toString());
        assertThat(doc.get("from").asText()).isEqualTo("2026-11-01T00:00:00Z");
        assertThat(doc.get("strategy").asText()).isEqualTo("cost-optimized");
        assertThat(doc.get("requests").asLong()).isEqualTo(7);
        assertThat(doc.get("total").get("proposed_usd").decimalValue()).isEqualByComparingTo("0.16");
        assertThat(doc.get("total").get("percent").decimalValue()).isEqualByComparingTo("-44.44");
        assertThat(doc.get("agents")).hasSize(2);
        assertThat(doc.get("moves")).hasSize(5);
        JsonNode writer = doc.get("budgets").get(1);
        assertThat(writer.get("name").asText()).isEqualTo("writer-daily");
        assertThat(writer.get("refused").asLong()).isEqualTo(1);
        assertThat(writer.get("ran_out_on").asText()).isEqualTo("2026-11-01");
        assertThat(writer.get("on_exceed").asText()).isEqualTo("block");
        assertThat(doc.get("not_replayed")).hasSize(1);
        assertThat(doc.get("assumptions").size()).isGreaterThanOrEqualTo(5);
    }
}
