package io.llmservice.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextTableTest {
    @Test
    void render_padsColumns_rightAlignsNumbers_noTrailingSpaces() {
        TextTable t = new TextTable(List.of("NAME", "N", "NOTE"), Set.of(1));
        t.add(List.of("a", "1000", "x"));
        t.add(List.of("longer", "7", ""));

        assertThat(t.render()).isEqualTo("""
                NAME       N  NOTE
                a       1000  x
                longer     7
                """);
    }

    @Test
    void add_wrongWidth_isRejected() {
        TextTable t = new TextTable(List.of("A", "B"), Set.of());
        assertThatThrownBy(() -> t.add(List.of("x"))).hasMessage("row has 1 cells, the header 2");
    }
}
