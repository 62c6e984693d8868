package io.llmservice.core.internal.realcli;

import io.llmservice.ConfigSource;
import io.llmservice.CostSource;
import io.llmservice.LlmRequest;
import io.llmservice.LlmResponse;
import io.llmservice.LlmService;
import io.llmservice.ModelUsage;
import io.llmservice.StatsDimension;
import io.llmservice.StatsPeriod;
import io.llmservice.StatsQuery;
import io.llmservice.StatsRow;
import io.llmservice.Usage;
import io.llmservice.core.internal.telemetry.InMemoryTelemetryStore;
import io.llmservice.spi.InvocationRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

/**
 * The real {@code claude} behind the built-in {@code claude-code} definition, made by
 * {@link AnthropicSubAgentStub} to run a haiku sub-agent inside a sonnet call: the call's model
 * is the one requested, its tokens are those of both models (claude's {@code $.usage} holds the
 * main thread's only), each model's share is recorded under its catalogue id (claude reports the
 * dated {@code claude-haiku-4-5-20251001}) and {@code stats --by model} books the sub-agent's
 * tokens and cost under haiku. {@code ANTHROPIC_DEFAULT_HAIKU_MODEL} makes claude's {@code haiku}
 * alias that dated id, as a user pinning a snapshot does.
 */
class RealCliClaudeSubAgentIT {
    private static final String HAIKU_DATED = "claude-haiku-4-5-20251001";

    @TempDir
    Path dir;

    private final InMemoryTelemetryStore store = new InMemoryTelemetryStore();
    private AnthropicSubAgentStub stub;
    private LlmService service;

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.close();
        }
        if (stub != null) {
            stub.close();
        }
    }

    @Test
    void haikuSubAgentInsideASonnetCall_eachModelsTokensAndCostRecordedUnderItsCatalogueId() throws IOException {
        Path binary = RealCliInstallation.binary("claude");
        stub = new AnthropicSubAgentStub();
        Path home = Files.createDirectories(dir.resolve("home"));
        Path workdir = Files.createDirectories(dir.resolve("work"));
        String yaml = """
                tools:
                  claude-code:
                    extends: claude-code
                    binary: "%s"
                    timeout: 60s
                    env:
                      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1"
                      ANTHROPIC_DEFAULT_HAIKU_MODEL: "%s"
                agents:
                  coder:
                    tool: claude-code
                    model: claude-sonnet-4-5
                """.formatted(binary, HAIKU_DATED);
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", home.toString());
        env.put("TMPDIR", dir.toString());
        env.put("LANG", "C.UTF-8");
        env.put("ANTHROPIC_BASE_URL", stub.baseUrl());
        env.put("ANTHROPIC_API_KEY", "sk-ant-stub-key");
        service = LlmService.builder().config(ConfigSource.text("claude-subagent.yaml", yaml)).environment(env)
                .telemetryStore(store).build();

        LlmResponse r = service.route(LlmRequest.builder("Delegate this to a sub-agent.").agent("coder")
                .workingDirectory(workdir).build()).execute();

        // what the stub answered per model is what claude's modelUsage reports
        Usage sonnet = Usage.of(AnthropicSubAgentStub.DELEGATE.inputTokens().orElseThrow()
                        + AnthropicSubAgentStub.FINAL.inputTokens().orElseThrow(),
                AnthropicSubAgentStub.DELEGATE.outputTokens().orElseThrow()
                        + AnthropicSubAgentStub.FINAL.outputTokens().orElseThrow(), 0, 0);
        assertThat(stub.usageByModel()).as("the sub-agent really ran, on the dated haiku id")
                .containsOnly(Map.entry("claude-sonnet-4-5", sonnet), Map.entry(HAIKU_DATED, AnthropicSubAgentStub.SUB_AGENT));
        assertThat(r.text().strip()).isEqualTo(LoopbackApiStub.TEXT);
        assertThat(r.model()).as("the model requested").isEqualTo("claude-sonnet-4-5");
        assertThat(r.reportedModel()).as("not modelUsage's last key").contains("claude-sonnet-4-5");
        assertThat(r.modelUsage()).extracting(ModelUsage::model, ModelUsage::usage).containsExactlyInAnyOrder(
                tuple("claude-sonnet-4-5", sonnet),
                tuple("claude-haiku-4-5", AnthropicSubAgentStub.SUB_AGENT));
        assertThat(r.usage()).as("both models' tokens: 600/50/5/0, where $.usage says 400/30")
                .isEqualTo(Usage.of(600, 50, 5, 0));
        // claude prices each model at its list price, as the catalogue does: sonnet 400 x 3 + 30 x 15,
        // haiku 200 x 1 + 20 x 5 + 5 x 0.10 micro-dollars
        ModelUsage haiku = r.modelUsage().stream().filter(m -> m.model().equals("claude-haiku-4-5")).findFirst()
                .orElseThrow();
        assertThat(haiku.costUsd()).hasValueSatisfying(c -> assertThat(c).isCloseTo(new BigDecimal("0.0003005"),
                within(new BigDecimal("1e-12"))));
        assertThat(r.costSource()).isEqualTo(CostSource.TOOL_REPORTED);
        assertThat(r.costUsd()).hasValueSatisfying(c -> assertThat(c).isCloseTo(new BigDecimal("0.0019505"),
                within(new BigDecimal("1e-12"))));

        InvocationRecord rec = store.findByRequest(r.requestId()).get(0);
        assertThat(rec.model()).isEqualTo("claude-sonnet-4-5");
        assertThat(rec.usage()).isEqualTo(r.usage());
        assertThat(rec.modelUsage()).isEqualTo(r.modelUsage());

        List<StatsRow> byModel = store.stats(StatsQuery.builder().period(StatsPeriod.MONTH)
                .groupBy(StatsDimension.MODEL).build()).rows();
        assertThat(byModel).extracting(StatsRow::group, StatsRow::requests, StatsRow::attempts, StatsRow::inputTokens,
                StatsRow::outputTokens, StatsRow::cacheReadTokens).containsExactly(
                tuple("claude-haiku-4-5", 1L, 0L, 200L, 20L, 5L),
                tuple("claude-sonnet-4-5", 1L, 1L, 400L, 30L, 0L));
        assertThat(byModel.get(0).costUsd()).isEqualByComparingTo(haiku.costUsd().orElseThrow());
        assertThat(byModel.get(0).costUsd().add(byModel.get(1).costUsd()))
                .isEqualByComparingTo(r.costUsd().orElseThrow());
    }
}
