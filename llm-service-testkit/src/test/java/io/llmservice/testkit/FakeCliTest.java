package io.llmservice.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FakeCliTest {

    @TempDir
    Path dir;

    @Test
    void builder_rejectsBadValuesNamingThem() {
        assertThatThrownBy(() -> FakeCli.builder().exitCode(256)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("exitCode must be between 0 and 255, was 256");
        assertThatThrownBy(() -> FakeCli.builder().delay(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delay");
        assertThatThrownBy(() -> FakeCli.builder().floodStdout(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FakeCli.builder().name("../evil")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("../evil");
    }

    @Test
    void build_twoFakesInOneDirectory_getSeparateDirectories() {
        FakeCli a = FakeCli.create(dir);
        FakeCli b = FakeCli.builder().name("claude").build(dir);

        assertThat(a.directory()).isNotEqualTo(b.directory());
        assertThat(a.directory().getParent()).isEqualTo(dir.toAbsolutePath());
        assertThat(b.binary().getFileName().toString()).startsWith("claude");
        assertThat(Files.isExecutable(a.binary())).isTrue();
        assertThat(a.invocations()).isEmpty();
    }

    @Test
    void shellQuote_neutralisesEverySpecialCharacter() {
        assertThat(ShellScript.quote("a'b")).isEqualTo("'a'\\''b'");
        assertThat(ShellScript.quote("/tmp/$(id) `x` \"q\"")).isEqualTo("'/tmp/$(id) `x` \"q\"'");
    }

    @Test
    void seconds_formatsMillisecondPrecision() {
        assertThat(FakeCliResponse.seconds(Duration.ofMillis(1500))).isEqualTo("1.500");
        assertThat(FakeCliResponse.seconds(Duration.ofMillis(7))).isEqualTo("0.007");
    }
}
