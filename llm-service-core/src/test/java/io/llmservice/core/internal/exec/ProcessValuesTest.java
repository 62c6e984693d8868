package io.llmservice.core.internal.exec;

import io.llmservice.config.OsFamily;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ProcessSpec, ProcessResult, StreamCapture and Os: the value types and pure helpers of the runner. */
class ProcessValuesTest {

    @Test
    void spec_builderDefaults() {
        ProcessSpec spec = ProcessSpec.builder(List.of("/usr/bin/claude")).build();

        assertThat(spec.environment()).isEmpty();
        assertThat(spec.stdin()).isEmpty();
        assertThat(spec.workingDirectory()).isEmpty();
        assertThat(spec.timeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(spec.maxOutputBytes()).isEqualTo(16L * 1024 * 1024);
    }

    @Test
    void spec_copiesStdinInAndOut() {
        byte[] prompt = "abc".getBytes(StandardCharsets.UTF_8);
        ProcessSpec spec = ProcessSpec.builder(List.of("/bin/x")).stdin(prompt).build();
        prompt[0] = 'z';
        spec.stdin().orElseThrow()[1] = 'z';

        assertThat(spec.stdin().orElseThrow()).isEqualTo("abc".getBytes(StandardCharsets.UTF_8));
        assertThat(spec).isEqualTo(ProcessSpec.builder(List.of("/bin/x")).stdin("abc".getBytes(StandardCharsets.UTF_8)).build());
    }

    @Test
    void spec_toString_hidesArgumentsEnvironmentValuesAndStdin() {
        ProcessSpec spec = ProcessSpec.builder(List.of("/bin/claude", "secret prompt"))
                .environment(Map.of("ANTHROPIC_API_KEY", "sk-ant-secret"))
                .stdin("another secret".getBytes(StandardCharsets.UTF_8)).build();

        assertThat(spec.toString()).contains("/bin/claude", "ANTHROPIC_API_KEY", "14 bytes")
                .doesNotContain("secret prompt", "sk-ant-secret", "another secret");
    }

    @Test
    void spec_rejectsBadValuesNamingTheField() {
        assertThatThrownBy(() -> ProcessSpec.builder(List.of()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("command is empty");
        assertThatThrownBy(() -> ProcessSpec.builder(List.of("/bin/x", "a\0b")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("command[1]").hasMessageContaining("NUL");
        assertThatThrownBy(() -> ProcessSpec.builder(List.of("/bin/x")).timeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout must be positive, was PT0S");
        assertThatThrownBy(() -> ProcessSpec.builder(List.of("/bin/x")).maxOutputBytes(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxOutputBytes").hasMessageContaining("-1");
        assertThatThrownBy(() -> ProcessSpec.builder(List.of("/bin/x")).environment(Map.of("K", "v\0secretish")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("K").hasMessageNotContaining("secretish");
        assertThatThrownBy(() -> ProcessSpec.builder(List.of("/bin/x")).environment(Map.of("K=1", "v")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("K=1");
    }

    @Test
    void result_stderrTail_takesLastBytesAndNeverStartsMidCharacter() {
        byte[] stderr = "ab€cd".getBytes(StandardCharsets.UTF_8); // € is 3 bytes: a b E2 82 AC c d
        ProcessResult r = result(stderr);

        assertThat(r.stderrTail(2)).isEqualTo("cd");
        assertThat(r.stderrTail(3)).isEqualTo("cd");          // would start inside €
        assertThat(r.stderrTail(4)).isEqualTo("cd");
        assertThat(r.stderrTail(5)).isEqualTo("€cd");
        assertThat(r.stderrTail(100)).isEqualTo("ab€cd");
        assertThat(r.stderrTail(0)).isEmpty();
        assertThatThrownBy(() -> r.stderrTail(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void result_rejectsExitCodeUnlessExited_andHidesOutputInToString() {
        assertThatThrownBy(() -> new ProcessResult(Termination.TIMED_OUT, 0, new byte[0], new byte[0], 0, 0,
                false, false, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        ProcessResult r = new ProcessResult(Termination.EXITED, 0, "the answer".getBytes(StandardCharsets.UTF_8),
                new byte[0], 10, 0, false, false, Duration.ofMillis(5));
        assertThat(r.toString()).contains("EXITED", "10/10 bytes").doesNotContain("the answer");
        assertThat(r.succeeded()).isTrue();
        assertThat(r.stdoutText()).isEqualTo("the answer");
    }

    @Test
    void capture_keepsFirstCapBytesCountsAllAndFlagsCap() {
        byte[] data = new byte[100_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        StreamCapture capture = new StreamCapture(new ByteArrayInputStream(data), 1000);
        capture.drain();

        StreamCapture.Snapshot s = capture.snapshot();
        assertThat(s.total()).isEqualTo(100_000);
        assertThat(s.capped()).isTrue();
        assertThat(s.bytes()).hasSize(1000).isEqualTo(java.util.Arrays.copyOf(data, 1000));
    }

    @Test
    void capture_exactlyCapIsNotCapped_zeroCapKeepsNothing() {
        StreamCapture exact = new StreamCapture(new ByteArrayInputStream(new byte[64]), 64);
        exact.drain();
        assertThat(exact.snapshot().capped()).isFalse();
        assertThat(exact.snapshot().bytes()).hasSize(64);

        StreamCapture none = new StreamCapture(new ByteArrayInputStream(new byte[10]), 0);
        none.drain();
        assertThat(none.snapshot().bytes()).isEmpty();
        assertThat(none.snapshot().total()).isEqualTo(10);
        assertThat(none.snapshot().capped()).isTrue();
    }

    @Test
    void os_fromOsName() {
        assertThat(Os.fromOsName("Windows 11")).isEqualTo(OsFamily.WINDOWS);
        assertThat(Os.fromOsName("Mac OS X")).isEqualTo(OsFamily.MACOS);
        assertThat(Os.fromOsName("Linux")).isEqualTo(OsFamily.LINUX);
        assertThat(Os.fromOsName("FreeBSD")).isEqualTo(OsFamily.LINUX);
        assertThat(Os.current()).isNotNull();
    }

    private static ProcessResult result(byte[] stderr) {
        return new ProcessResult(Termination.EXITED, 1, new byte[0], stderr, 0, stderr.length, false, false,
                Duration.ZERO);
    }

}
