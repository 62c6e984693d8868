package io.llmservice.core.internal.it;

import io.llmservice.ConfigException;
import io.llmservice.ConfigSource;
import io.llmservice.LlmRequest;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.core.internal.telemetry.InMemoryTelemetryStore;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.testkit.FakeCli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A tool that prints every family of secret, its own {@code env:} value and a {@code ${VAR}}
 * value on standard error, then fails: the exception (message, stack trace with causes and
 * suppressed) and the telemetry record carry none of them, with either privacy setting.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "FakeCli SHELL mode needs sh")
class SecretsIT {
    /** The tool's own env: value and the value of the ${VAR} its args use. */
    static final String ENV_VALUE = "toolsecret-0000";
    static final String VAR_VALUE = "varsecret-1111";
    /** One of each family, made up. */
    static final List<String> TOKENS = List.of(
            "sk-ant-api03-Ab3dEfGh1jKlMnOpQrStUvWxYz0123456789-AbCdEfGhIjKlMnOpQrStUvWx_yzAA",
            "sk-proj-Ab3dEfGh1jKlMnOpQrStUvWxYz01_-2345",
            "AIzaSyAb3dEfGh1jKlMnOpQrStUvWxYz0123456",
            "ghp_Ab3dEfGh1jKlMnOpQrStUvWxYz0123456789",
            "gho_Bb3dEfGh1jKlMnOpQrStUvWxYz0123456789",
            "ghs_Cb3dEfGh1jKlMnOpQrStUvWxYz0123456789",
            "github_pat_11ABCDEFG0123456789_Db3dEfGh1jKlMnOpQrStUvWxYz0123456789abcdefghij",
            "AKIAIOSFODNN7EXAMPLE",
            "ASIAIOSFODNN7EXAMPL2",
            "xoxb-123456789012-1234567890123-Eb3dEfGh1jKlMnOpQrStUvWx",
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
            "MIIEowIBAAKCAQEA7pemsecretbody");
    /** Values of pairs: password=, aws_secret_access_key=, token: */
    static final List<String> PAIR_VALUES = List.of("hunter2pw!", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "tok-abcdef1");
    static final String PROMPT = "Review PROMPT-TEXT-4711 please";

    /** What the leaky tool prints on standard error. */
    static String leakyStderr() {
        return "fatal: auth failed with " + String.join(" ", TOKENS.subList(0, TOKENS.size() - 1))
                + "\n-----BEGIN RSA PRIVATE KEY-----\n" + TOKENS.get(TOKENS.size() - 1) + "\n-----END RSA PRIVATE KEY-----\n"
                + "password=" + PAIR_VALUES.get(0) + " aws_secret_access_key=" + PAIR_VALUES.get(1)
                + " token: " + PAIR_VALUES.get(2) + "\n"
                + "key=" + ENV_VALUE + " arg=" + VAR_VALUE + "\n";
    }

    static List<String> secrets() {
        List<String> all = new ArrayList<>(TOKENS);
        all.addAll(PAIR_VALUES);
        all.add(ENV_VALUE);
        all.add(VAR_VALUE);
        return all;
    }

    @TempDir
    Path dir;

    private final InMemoryTelemetryStore store = new InMemoryTelemetryStore();
    private final List<LlmService> services = new ArrayList<>();

    @AfterEach
    void closeAll() {
        services.forEach(LlmService::close);
    }

    private LlmService service(String privacy) {
        FakeCli leaky = FakeCli.builder().name("leaky").stderr(leakyStderr()).exitCode(1).build(dir);
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", dir.toString());
        env.put("LEAKY_ARG", VAR_VALUE);
        LlmService llm = LlmService.builder().config(ConfigSource.text("it.yaml", """
                tools:
                  leaky:
                    type: cli
                    binary: "%s"
                    args: ["--key", "${LEAKY_ARG}"]
                    env: {LEAKY_KEY: "%s"}
                    models: {claude-haiku-4-5: haiku}
                    output: {format: text}
                agents:
                  leaker: {tool: leaky, model: claude-haiku-4-5}
                policies:
                  telemetry: {store: memory, privacy: %s}
                """.formatted(leaky.binary(), ENV_VALUE, privacy))).environment(env).telemetryStore(store).build();
        services.add(llm);
        return llm;
    }

    private static String everything(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    @Test
    void failedCall_exceptionCarriesNoSecret_everyOneMasked() {
        LlmService llm = service("metadata");

        LlmServiceException e = catchThrowableOfType(LlmServiceException.class,
                () -> llm.route(LlmRequest.builder(PROMPT).agent("leaker").build()).execute());

        assertThat(e).as("the call failed").isNotNull();
        assertThat(everything(e)).doesNotContain(secrets());
        // The message quotes the one telling line of stderr; the tail keeps the rest, every secret masked.
        assertThat(e.getMessage()).contains("exited with status 1", "fatal: auth failed with [REDACTED]");
        assertThat(e).isInstanceOfSatisfying(io.llmservice.ToolExitException.class, x -> assertThat(x.stderrTail())
                .contains("fatal: auth failed with [REDACTED]", "password=[REDACTED]", "key=[REDACTED] arg=[REDACTED]"));
    }

    @Test
    void privacyMetadata_storesTheFailuresClassAndCode_noToolText() {
        LlmService llm = service("metadata");

        catchThrowableOfType(LlmServiceException.class,
                () -> llm.route(LlmRequest.builder(PROMPT).agent("leaker").build()).execute());

        InvocationRecord rec = store.all().stream().filter(r -> r.attempt() == 1).findFirst().orElseThrow();
        assertThat(rec.errorCode()).contains("LLM-032");
        assertThat(rec.errorSummary()).isEqualTo("ToolExitException LLM-032");
        assertThat(rec.promptText()).isEmpty();
        assertThat(store.all()).allSatisfy(r -> assertThat(r.errorSummary()).doesNotContain("fatal", "PROMPT-TEXT"));
    }

    @Test
    void privacyFull_storesTheRedactedMessage_andTheRedactedPrompt() {
        LlmService llm = service("full");

        catchThrowableOfType(LlmServiceException.class, () -> llm.route(LlmRequest.builder(PROMPT + " password=hunter2pw!")
                .agent("leaker").build()).execute());

        assertThat(store.all()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.errorSummary()).doesNotContain(secrets());
            assertThat(r.promptText().orElse("")).doesNotContain(secrets());
        });
        InvocationRecord rec = store.all().stream().filter(r -> r.attempt() == 1).findFirst().orElseThrow();
        assertThat(rec.errorSummary()).contains("fatal: auth failed with [REDACTED]");
        assertThat(rec.promptText()).contains(PROMPT + " password=[REDACTED]");
    }

    @Test
    void configProblem_quotingAnExpandedValue_masksIt() {
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "HOME", dir.toString(), "LEAKY_TIMEOUT", VAR_VALUE);

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> LlmService.builder()
                .config(ConfigSource.text("it.yaml", """
                        tools:
                          leaky:
                            type: cli
                            binary: leaky
                            timeout: "${LEAKY_TIMEOUT}"
                            models: {claude-haiku-4-5: haiku}
                        """)).environment(env).telemetryStore(store).build());

        assertThat(e).as("the bad timeout is a config error").isNotNull();
        assertThat(e.getMessage()).contains("timeout").doesNotContain(VAR_VALUE);
    }
}
