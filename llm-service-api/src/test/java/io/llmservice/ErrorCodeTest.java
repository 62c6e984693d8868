package io.llmservice;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorCodeTest {

    @Test
    void ids_areUnique() {
        Set<String> ids = new HashSet<>();
        Arrays.stream(ErrorCode.values()).forEach(c -> assertThat(ids.add(c.id())).as(c.id()).isTrue());
    }

    @Test
    void errorsReference_documentsEveryCodeWithItsOwnSection() throws IOException {
        String doc = Files.readString(Path.of("../docs/errors.md"), StandardCharsets.UTF_8);
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(doc).as("docs/errors.md table row of " + code)
                    .contains("| " + code.id() + " | `" + code.name() + "` |");
            assertThat(doc).as("docs/errors.md section of " + code).contains("## " + code.id() + " `" + code.name() + "`");
        }
    }

    @Test
    void configProblem_rendersFileLineColumnPathMessage() {
        assertThat(new ConfigProblem("llm.yaml", 14, 11, "tools.codex.timeout", "must be a positive duration"))
                .hasToString("llm.yaml:14:11: tools.codex.timeout: must be a positive duration");
        assertThat(new ConfigProblem("llm.yaml", 0, 0, "", "file not found")).hasToString("llm.yaml: file not found");
    }

    @Test
    void configException_sortsProblemsAndListsThemAll() {
        ConfigException e = new ConfigException(java.util.List.of(
                new ConfigProblem("b.yaml", 1, 1, "x", "second file"),
                new ConfigProblem("a.yaml", 9, 2, "y", "later line"),
                new ConfigProblem("a.yaml", 3, 5, "z", "earlier line")));
        assertThat(e.problems()).extracting(ConfigProblem::message)
                .containsExactly("earlier line", "later line", "second file");
        assertThat(e.getMessage()).isEqualTo("invalid configuration: 3 problems" + System.lineSeparator()
                + "a.yaml:3:5: z: earlier line" + System.lineSeparator() + "a.yaml:9:2: y: later line"
                + System.lineSeparator() + "b.yaml:1:1: x: second file");
        assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
    }
}
