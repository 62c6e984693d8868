package io.llmservice.core.internal.report;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class BarChartTest {
    private static final Pattern RECT = Pattern.compile("<rect class=\"mark\" x=\"[^\"]+\" y=\"([^\"]+)\" width=\"[^\"]+\""
            + " height=\"([^\"]+)\"");

    @Test
    void stacked_drawsOneRectPerNonZeroValue_heightsProportional_zeroesSkipped() {
        String svg = new BarChart("t", List.of("a", "b"), List.of("day a", "day b"), "$", true)
                .series("x", "#000", new double[] {3, 0}, v -> "$" + v)
                .series("y", "#111", new double[] {1, 2}, v -> "$" + v).svg();
        Matcher m = RECT.matcher(svg);
        double[] heights = new double[3];
        int n = 0;
        while (m.find()) {
            heights[n++] = Double.parseDouble(m.group(2));
        }
        assertThat(n).as(svg).isEqualTo(3);
        // a: 3 then 1 stacked; b: 2 only
        assertThat(heights[0] / heights[1]).isCloseTo(3.0, org.assertj.core.data.Offset.offset(0.05));
        assertThat(heights[2] / heights[1]).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.05));
        assertThat(svg).contains("<title>day a · x: $3.0</title>", "<title>day b · y: $2.0</title>");
    }

    @Test
    void everyStringIsEscaped_inTitlesLabelsAndLegend() {
        BarChart c = new BarChart("<t>", List.of("<a>"), List.of("\"a\""), "", false)
                .series("<s>", "#000", new double[] {1}, v -> "<v>").line("<l>", "#f00", 2, false);
        String svg = c.svg();
        assertThat(svg).doesNotContain("<t>", "<a>", "<s>", "<v>", "<l>", "\"a\"")
                .contains("&lt;t&gt;", "&lt;a&gt;", "&quot;a&quot;", "&lt;s&gt;", "&lt;v&gt;", "&lt;l&gt;");
        Html legend = new Html();
        Tables.legend(legend, c.legend());
        assertThat(legend.toString()).contains("&lt;s&gt;").doesNotContain("<s>");
    }

    @Test
    void allZero_stillDrawsItsReferenceLinesAndMarkers() {
        String svg = new BarChart("budget", List.of("d1"), List.of("d1"), "$", true)
                .series("spent", "#000", new double[] {0}, v -> "$" + v)
                .line("limit", "#f00", 5, false).marker(0, "2 calls refused").svg();
        assertThat(svg).doesNotContain("<rect class=\"mark\" ").contains("class=\"mark line\"", "class=\"mark refusal\"",
                "d1: 2 calls refused");
    }

    @Test
    void svg_isInlineHtml_withoutAnXmlnsUrl() {
        String svg = new BarChart("t", List.of("a"), List.of("a"), "$", true)
                .series("x", "#000", new double[] {1}, v -> "$" + v).svg();
        assertThat(svg).startsWith("<svg class=\"chart\" viewBox=").doesNotContain("xmlns", "http");
    }

    @Test
    void niceStep_isOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(BarChart.niceStep(0.3)).isEqualTo(0.5);
        assertThat(BarChart.niceStep(1.2)).isEqualTo(2);
        assertThat(BarChart.niceStep(7)).isEqualTo(10);
        assertThat(BarChart.niceStep(4000)).isEqualTo(5000);
    }
}
