package io.llmservice.core.internal.adapter;

import io.llmservice.core.internal.adapter.ArgvTemplate.Placeholder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArgvTemplateTest {

    @Test
    void render_placeholderFillsExactlyOneElement_neverSplit() {
        ArgvTemplate t = ArgvTemplate.of(List.of("-p", "--model", "{model}", "--prompt={prompt}", "{prompt}"));

        List<String> argv = t.render(Map.of(Placeholder.MODEL, "sonnet", Placeholder.PROMPT, "a b\n; rm -rf ~ $(id)"));

        assertThat(argv).containsExactly("-p", "--model", "sonnet", "--prompt=a b\n; rm -rf ~ $(id)", "a b\n; rm -rf ~ $(id)");
    }

    @Test
    void render_valuesAreNotRescanned() {
        ArgvTemplate t = ArgvTemplate.of(List.of("{prompt}", "{model}"));

        assertThat(t.render(Map.of(Placeholder.PROMPT, "{model} \\$1 $0", Placeholder.MODEL, "m")))
                .containsExactly("{model} \\$1 $0", "m");
    }

    @Test
    void render_unknownBracesStayAsWritten() {
        ArgvTemplate t = ArgvTemplate.of(List.of("{other}", "-c", "x={\"a\":1}", "{workdir}/out", "{prompt_file}"));

        assertThat(t.placeholders()).containsExactlyInAnyOrder(Placeholder.WORKDIR, Placeholder.PROMPT_FILE);
        assertThat(t.render(Map.of(Placeholder.WORKDIR, "/w d", Placeholder.PROMPT_FILE, "/tmp/p.txt")))
                .containsExactly("{other}", "-c", "x={\"a\":1}", "/w d/out", "/tmp/p.txt");
    }

    @Test
    void render_emptyValue_keepsTheElement() {
        assertThat(ArgvTemplate.of(List.of("{prompt}")).render(Map.of(Placeholder.PROMPT, ""))).containsExactly("");
    }

    @Test
    void render_missingValue_isRejected() {
        assertThatThrownBy(() -> ArgvTemplate.of(List.of("--m={model}")).render(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no value for {model} in argument '--m={model}'");
    }

    @Test
    void render_options_filledInPlace_valuesNotRescanned() {
        ArgvTemplate t = ArgvTemplate.of(List.of("-c", "p.{options.id}={url=\"{options.url}\"}", "{model}"),
                Map.of("id", "local", "url", "http://h/{prompt}"));

        assertThat(t.placeholders()).containsExactly(Placeholder.MODEL);
        assertThat(t.render(Map.of(Placeholder.MODEL, "m")))
                .containsExactly("-c", "p.local={url=\"http://h/{prompt}\"}", "m");
    }

    @Test
    void of_unknownOption_isRejected_namingTheOptions() {
        assertThatThrownBy(() -> ArgvTemplate.of(List.of("--k={options.key}"), Map.of("env_key", "K", "url", "u")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown option {options.key} in argument '--k={options.key}'; the tool's options are:"
                        + " env_key, url; add it under options: or remove the placeholder");
    }

    @Test
    void renderOptions_text_unknownOptionNeverQuotesTheText() {
        assertThat(ArgvTemplate.renderOptions("set {options.env_key} {x}", Map.of("env_key", "LOCAL_KEY")))
                .isEqualTo("set LOCAL_KEY {x}");
        assertThatThrownBy(() -> ArgvTemplate.renderOptions("sk-secret{options.k}", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("sk-secret");
    }
}
