package io.llmservice.core.internal.config;

import io.llmservice.ConfigSource;
import io.llmservice.config.CooldownPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.llmservice.core.internal.config.ConfigLoaderTest.LOADER;
import static io.llmservice.core.internal.config.ConfigLoaderTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code policies.cooldown}: its keys, its default, {@code off}, and every bad value with its place. */
class CooldownConfigTest {

    private static CooldownPolicy load(String yaml) {
        return LOADER.load(ConfigSource.text("llm.yaml", yaml), Map.of()).policies().cooldown();
    }

    @Test
    void load_cooldown_afterForAndAuthFor() {
        assertThat(load("policies:\n  cooldown: {after: 2 failures, for: 90s, auth_for: 10m}\n"))
                .isEqualTo(new CooldownPolicy(true, 2, Duration.ofSeconds(90), Duration.ofMinutes(10)));
        assertThat(load("policies:\n  cooldown: {after: 1 failure}\n"))
                .isEqualTo(new CooldownPolicy(true, 1, Duration.ofMinutes(5), Duration.ofHours(1)));
        assertThat(load("policies:\n  cooldown: {after: 4}\n").after()).isEqualTo(4);
    }

    @Test
    void load_noCooldownKey_isTheDefault_andOffTurnsItOff() {
        assertThat(load("policies:\n  timezone: UTC\n")).isEqualTo(CooldownPolicy.defaults());
        assertThat(load("models: {}\n")).isEqualTo(CooldownPolicy.defaults());
        assertThat(load("policies:\n  cooldown: off\n").enabled()).isFalse();
    }

    @Test
    void load_badCooldownValues_rejectedWithPlaceAndValue() {
        assertThat(problems(ConfigSource.text("llm.yaml", "policies:\n  cooldown: {after: three, for: 5m}\n"),
                Map.of())).containsExactly("llm.yaml:2:21: policies.cooldown.after: must be a number of failures of"
                + " at least 1, like 3 failures (was \"three\")");
        assertThat(problems(ConfigSource.text("llm.yaml", "policies:\n  cooldown: {after: 0 failures}\n"),
                Map.of())).containsExactly("llm.yaml:2:21: policies.cooldown.after: must be a number of failures of"
                + " at least 1, like 3 failures (was \"0 failures\")");
        assertThat(problems(ConfigSource.text("llm.yaml", "policies:\n  cooldown: {after: 3 failures, for: 5 min}\n"),
                Map.of())).containsExactly("llm.yaml:2:38: policies.cooldown.for: must be a positive duration like 90s"
                + " or 10m (was \"5 min\")");
        assertThat(problems(ConfigSource.text("llm.yaml", "policies:\n  cooldown: {aftr: 3 failures}\n"),
                Map.of())).singleElement().asString().startsWith("llm.yaml:2:").contains("policies.cooldown")
                .contains("aftr").contains("did you mean 'after'");
        assertThat(problems(ConfigSource.text("llm.yaml", "policies:\n  cooldown: sometimes\n"), Map.of()))
                .containsExactly("llm.yaml:2:13: policies.cooldown: must be off or a mapping like {after: 3 failures,"
                        + " for: 5m} (was \"sometimes\")");
    }
}
