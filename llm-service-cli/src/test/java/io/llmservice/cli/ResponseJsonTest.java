package io.llmservice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmservice.Attempt;
import io.llmservice.CostSource;
import io.llmservice.LlmResponse;
import io.llmservice.ModelUsage;
import io.llmservice.Usage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ResponseJsonTest {

    private static LlmResponse subAgentCall() {
        Attempt only = Attempt.succeeded(1, "claude-code", "claude-sonnet-4-5", Instant.parse("2026-12-06T10:00:00Z"),
                Duration.ofMillis(900), Usage.of(600, 50, 5, 0), Optional.of(new BigDecimal("0.0019505")),
                CostSource.TOOL_REPORTED, 0);
        return LlmResponse.builder().requestId("req-1").text("STUB-OK").tool("claude-code").model("claude-sonnet-4-5")
                .reportedModel("claude-sonnet-4-5").usage(Usage.of(600, 50, 5, 0))
                .costUsd(new BigDecimal("0.0019505")).costSource(CostSource.TOOL_REPORTED)
                .latency(Duration.ofMillis(950)).attempt(only)
                .modelUsage(List.of(
                        ModelUsage.of("claude-sonnet-4-5", Usage.of(400, 30, 0, 0), new BigDecimal("0.00165")),
                        ModelUsage.of("claude-haiku-4-5", Usage.of(200, 20, 5, 0), new BigDecimal("0.0000003005"))))
                .build();
    }

    @Test
    void render_everyNumberIsAJsonNumber_costsPlain_andEachModelsShareIsListed() throws Exception {
        String json = ResponseJson.render(subAgentCall());
        JsonNode doc = new ObjectMapper().readTree(json);

        assertThat(doc.get("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(doc.get("cost_usd").isNumber()).isTrue();
        assertThat(doc.at("/usage/input_tokens").isNumber()).isTrue();
        assertThat(doc.get("latency_ms").isNumber()).isTrue();
        JsonNode perModel = doc.get("model_usage");
        assertThat(perModel).hasSize(2);
        assertThat(perModel.get(1).get("model").asText()).isEqualTo("claude-haiku-4-5");
        assertThat(perModel.get(1).at("/usage/input_tokens").asLong()).isEqualTo(200);
        assertThat(perModel.get(1).get("cost_usd").isNumber()).isTrue();
        assertThat(perModel.get(1).get("cost_usd").decimalValue()).isEqualByComparingTo("0.0000003005");
        assertThat(json).as("no exponent notation").contains("0.0000003005").doesNotContain("E-");
    }

    @Test
    void render_withoutABreakdown_hasAnEmptyList() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(ResponseJson.render(subAgentCall().toBuilder()
                .modelUsage(List.of()).build()));
        assertThat(doc.get("model_usage").isArray()).isTrue();
        assertThat(doc.get("model_usage")).isEmpty();
    }
}
