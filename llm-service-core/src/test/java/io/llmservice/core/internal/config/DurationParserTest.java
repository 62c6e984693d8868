package io.llmservice.core.internal.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DurationParserTest {
    @Test
    void parse_units() {
        assertThat(DurationParser.parse("500ms")).contains(Duration.ofMillis(500));
        assertThat(DurationParser.parse("90s")).contains(Duration.ofSeconds(90));
        assertThat(DurationParser.parse("10m")).contains(Duration.ofMinutes(10));
        assertThat(DurationParser.parse("2h")).contains(Duration.ofHours(2));
    }

    @Test
    void parse_rejectsWordsSignsZeroAndSpaces() {
        assertThat(DurationParser.parse("10 minutes")).isEmpty();
        assertThat(DurationParser.parse("-5s")).isEmpty();
        assertThat(DurationParser.parse("0s")).isEmpty();
        assertThat(DurationParser.parse("10 m")).isEmpty();
        assertThat(DurationParser.parse("1.5h")).isEmpty();
        assertThat(DurationParser.parse("PT10M")).isEmpty();
        assertThat(DurationParser.parse("9999999999s")).isEmpty();
    }
}
