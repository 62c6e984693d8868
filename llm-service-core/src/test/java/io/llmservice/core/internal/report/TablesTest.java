package io.llmservice.core.internal.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TablesTest {
    @Test
    void write_firstCellOfEachRow_isItsRowHeader() {
        Html out = new Html();
        Tables.write(out, "Spend per day", List.of("DAY", "USD"), List.of(List.of("2026-11-01", "1.50"),
                List.of("<b>", "2.00")), new boolean[] {false, true});

        assertThat(out.toString()).contains("<thead><tr><th scope=\"col\">DAY</th><th class=\"num\" scope=\"col\">USD</th>",
                        "<tr><th scope=\"row\">2026-11-01</th><td class=\"num\">1.50</td></tr>",
                        "<tr><th scope=\"row\">&lt;b&gt;</th><td class=\"num\">2.00</td></tr>")
                .doesNotContain("<td>2026-11-01</td>");
    }

    @Test
    void write_numericFirstColumn_staysRightAligned() {
        Html out = new Html();
        Tables.write(out, "c", List.of("N"), List.of(List.of("7")), new boolean[] {true});

        assertThat(out.toString()).contains("<th class=\"num\" scope=\"row\">7</th>");
    }
}
