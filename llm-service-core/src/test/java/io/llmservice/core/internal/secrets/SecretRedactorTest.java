package io.llmservice.core.internal.secrets;

import io.llmservice.config.LlmConfig;
import io.llmservice.core.internal.TestConfigs;
import io.llmservice.config.ToolDefinition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One test per family of secret the redactor knows, plus what it must leave alone. The tokens
 * here are made up: right shape, no meaning.
 */
class SecretRedactorTest {

    private final SecretRedactor redactor = new SecretRedactor(List.of());

    private String masked(String secret) {
        return redactor.redact("fatal: auth failed with " + secret + " (retry later)");
    }

    private void assertMasked(String secret) {
        assertThat(masked(secret)).isEqualTo("fatal: auth failed with [REDACTED] (retry later)");
    }

    @Test
    void anthropicKey() {
        assertMasked("sk-ant-api03-Ab3dEfGh1jKlMnOpQrStUvWxYz0123456789-AbCdEfGhIjKlMnOpQrStUvWx_yzAA");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sk-Ab3dEfGh1jKlMnOpQrStUvWxYz0123456789", "sk-proj-Ab3dEfGh1jKlMnOpQrStUvWxYz01_-2345",
            "sk-svcacct-Ab3dEfGh1jKlMnOpQrStUvWx"})
    void openAiKeys(String key) {
        assertMasked(key);
    }

    @Test
    void googleApiKey() {
        assertMasked("AIzaSyAb3dEfGh1jKlMnOpQrStUvWxYz0123456");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ghp_Ab3dEfGh1jKlMnOpQrStUvWxYz0123456789", "gho_Ab3dEfGh1jKlMnOpQrStUvWxYz0123456789",
            "ghu_Ab3dEfGh1jKlMnOpQrStUvWxYz0123456789", "ghs_Ab3dEfGh1jKlMnOpQrStUvWxYz0123456789",
            "ghr_Ab3dEfGh1jKlMnOpQrStUvWxYz0123456789",
            "github_pat_11ABCDEFG0123456789_Ab3dEfGh1jKlMnOpQrStUvWxYz0123456789abcdefghijklmnopqrstuvwxyz0123"})
    void gitHubTokens(String token) {
        assertMasked(token);
    }

    @ParameterizedTest
    @ValueSource(strings = {"AKIAIOSFODNN7EXAMPLE", "ASIAIOSFODNN7EXAMPLE"})
    void awsAccessKeyIds(String id) {
        assertMasked(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"})
    void awsSecretAccessKey_valueMasked_nameKept(String pair) {
        String out = redactor.redact(pair);

        assertThat(out).doesNotContain("wJalrXUtnFEMI").endsWith("[REDACTED]")
                .startsWithIgnoringCase("aws_secret_access_key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"xoxb-123456789012-1234567890123-Ab3dEfGh1jKlMnOpQrStUvWx", "xoxp-1234567890-abcdefghij",
            "xapp-1-A0123456789-1234567890123-abcdef0123456789"})
    void slackTokens(String token) {
        assertMasked(token);
    }

    @Test
    void jwt() {
        assertMasked("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ"
                + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");
    }

    @Test
    void bearerToken() {
        assertThat(redactor.redact("Authorization: Bearer abc.DEF-ghi_jkl~123")).isEqualTo("Authorization: [REDACTED]");
    }

    @Test
    void pemPrivateKey_wholeBlock() {
        String pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\nabcdEFGH\n-----END RSA PRIVATE KEY-----";

        assertThat(redactor.redact("key:\n" + pem + "\ndone")).isEqualTo("key:\n[REDACTED]\ndone");
    }

    @Test
    void pemPrivateKey_cutBeforeItsEnd_maskedToTheEnd() {
        assertThat(redactor.redact("oops -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC"))
                .isEqualTo("oops [REDACTED]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"password=hunter2!", "passwd: hunter2!", "secret=s3cr3t-value", "token=abcd1234",
            "api_key=abcd1234", "apikey: abcd1234", "API-KEY=abcd1234", "DB_PASSWORD=hunter2!",
            "client_secret: abcd1234", "access_token=abcd1234"})
    void pairs_bare(String pair) {
        String name = pair.substring(0, pair.indexOf(pair.contains("=") ? '=' : ':') + 1);

        assertThat(redactor.redact("login " + pair + " rejected")).isEqualTo("login " + name
                + (pair.contains(": ") ? " " : "") + "[REDACTED] rejected");
    }

    @Test
    void pairs_quotedAndJson() {
        assertThat(redactor.redact("{\"password\": \"two words\", \"api_key\":\"k-123456\", \"user\": \"bob\"}"))
                .isEqualTo("{\"password\": \"[REDACTED]\", \"api_key\":\"[REDACTED]\", \"user\": \"bob\"}");
        assertThat(redactor.redact("secret='a b c'")).isEqualTo("secret='[REDACTED]'");
        assertThat(redactor.redact("password: \"it's mine\" ok")).isEqualTo("password: \"[REDACTED]\" ok");
        assertThat(redactor.redact("token: \"never closed\nnext line")).isEqualTo("token: \"[REDACTED]\"\nnext line");
    }

    @Test
    void pairs_inAQueryString_stopAtTheSeparator() {
        assertThat(redactor.redact("GET /cb?access_token=abcd1234&state=xyz"))
                .isEqualTo("GET /cb?access_token=[REDACTED]&state=xyz");
    }

    @Test
    void urlPassword() {
        assertThat(redactor.redact("cannot reach postgres://llm:s3cr3tpw@db:5432/llm"))
                .isEqualTo("cannot reach postgres://llm:[REDACTED]@db:5432/llm");
    }

    @Test
    void knownValues_maskedWherever_longestFirst_shortOnesIgnored() {
        SecretRedactor known = new SecretRedactor(List.of("toolsecret-0000", "toolsecret-0000-longer", "true", "abc12"));

        assertThat(known.redact("key=toolsecret-0000 and toolsecret-0000-longer; flag true; abc12"))
                .isEqualTo("key=[REDACTED] and [REDACTED]; flag true; abc12");
    }

    @Test
    void forConfig_masksEveryToolsEnvValue_andEveryExpandedVariable_butNotPlaces() {
        ToolDefinition leaky = ToolDefinition.builder().name("leaky").binary("leaky")
                .env(Map.of("LEAKY_KEY", "toolsecret-0000", "HOME", "/home/alice", "FLAG", "1")).build();
        LlmConfig config = TestConfigs.create().tool(leaky).build();

        SecretRedactor r = SecretRedactor.forConfig(config, Map.of("LEAKY_ARG", "varsecret-1111",
                "XDG_DATA_HOME", "/home/alice/.local/share"));

        assertThat(r.redact("toolsecret-0000 varsecret-1111 in /home/alice/.local/share, flag 1"))
                .isEqualTo("[REDACTED] [REDACTED] in /home/alice/.local/share, flag 1");
    }

    @Test
    void forConfig_masksOptionsOfOtherAdapters_butNotTheArgvSettingsOfCliTools() {
        ToolDefinition cli = ToolDefinition.builder().name("codex-local").binary("codex")
                .options(Map.of("base_url", "http://127.0.0.1:8080/v1", "env_key", "LOCAL_LLM_KEY")).build();
        ToolDefinition http = ToolDefinition.builder().name("remote").type("http").binary("")
                .options(Map.of("api_key", "optsecret-2222")).build();
        LlmConfig config = TestConfigs.create().tool(cli).tool(http).build();

        SecretRedactor r = SecretRedactor.forConfig(config, Map.of());

        assertThat(r.redact("set LOCAL_LLM_KEY; url: http://127.0.0.1:8080/v1/responses; key optsecret-2222"))
                .isEqualTo("set LOCAL_LLM_KEY; url: http://127.0.0.1:8080/v1/responses; key [REDACTED]");
    }

    @Test
    void knownValuesOnly_leavesTokenShapesAndPairs() {
        SecretRedactor values = SecretRedactor.knownValuesOnly(Map.of("PG_PASSWORD", "varsecret-1111", "HOME", "/home/alice"));

        assertThat(values.redact("tools.x.env.API_TOKEN: 'varsecret-1111' is not a duration (in /home/alice)"))
                .isEqualTo("tools.x.env.API_TOKEN: '[REDACTED]' is not a duration (in /home/alice)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"disk-usage-monitoring-tool-v2 failed", "usage: output_tokens: 45, max_tokens=100",
            "task-runner-1234567890abcdef exited", "exited with status 1; stderr: boom",
            "the tokens: 45 input, 12 output", "/home/alice/.claude/settings.json"})
    void ordinaryText_isLeftAlone(String text) {
        assertThat(redactor.redact(text)).isEqualTo(text);
    }

    @Test
    void redactingTwice_changesNothingMore() {
        String once = redactor.redact("password=hunter2! token: \"abc12345\" sk-ant-api03-Ab3dEfGh1jKlMnOp");

        assertThat(redactor.redact(once)).isEqualTo(once);
    }
}
