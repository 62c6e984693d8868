package io.llmservice.core.internal.realcli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.llmservice.Usage;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Anthropic Messages API as it answers Claude Code when the model delegates to a sub-agent on
 * another model: the main thread's first request is answered with a {@code tool_use} of claude's
 * {@code Agent} tool (2.1.332's name and input schema: {@code description}, {@code prompt},
 * {@code subagent_type}, {@code model}, {@code run_in_background}) asking for a {@code haiku}
 * sub-agent in the foreground; any request on a haiku model is the sub-agent's and is answered
 * {@code SUB-OK}; the main thread's request that carries the tool's result gets the final
 * {@link #TEXT}. Streamed as server-sent events, usage in {@code message_start} and
 * {@code message_delta} as the real API sends it.
 *
 * <p>Each answer's usage depends on the turn ({@link #DELEGATE}, {@link #SUB_AGENT},
 * {@link #FINAL}); {@link #usageByModel()} adds up what was answered per model id, which is what
 * claude's own {@code modelUsage} must report.
 */
final class AnthropicSubAgentStub extends LoopbackApiStub {
    /** The main thread's turn that starts the sub-agent. */
    static final Usage DELEGATE = Usage.of(100, 10, 0, 0);
    /** The sub-agent's turn, on haiku. */
    static final Usage SUB_AGENT = Usage.of(200, 20, 5, 0);
    /** The main thread's turn after the sub-agent's result. */
    static final Usage FINAL = Usage.of(300, 20, 0, 0);

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, long[]> usageByModel = new ConcurrentHashMap<>();

    @Override
    boolean isGeneration(RecordedRequest request) {
        return request.method().equals("POST") && request.path().equals("/v1/messages");
    }

    @Override
    void answer(HttpExchange exchange, RecordedRequest request) throws IOException {
        if (!isGeneration(request)) {
            send(exchange, 404, "application/json", "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\","
                    + "\"message\":\"no such endpoint in the stub\"}}");
            return;
        }
        JsonNode body = JSON.readTree(request.body());
        String model = body.path("model").asText("claude-sonnet-4-5");
        boolean subAgent = model.contains("haiku");
        boolean hasToolResult = request.body().contains("\"tool_result\"");
        boolean offersAgent = false;
        for (JsonNode tool : body.path("tools")) {
            offersAgent |= tool.path("name").asText().equals("Agent");
        }
        Usage usage;
        String events;
        if (subAgent) {
            usage = SUB_AGENT;
            events = textAnswer(model, usage, "SUB-OK");
        } else if (offersAgent && !hasToolResult) {
            usage = DELEGATE;
            ObjectNode input = JSON.createObjectNode().put("description", "Stub sub task")
                    .put("prompt", "Answer SUB-OK.").put("subagent_type", "general-purpose").put("model", "haiku")
                    .put("run_in_background", false);
            events = messageStart(model, usage)
                    + sse("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                    + "{\"type\":\"tool_use\",\"id\":\"toolu_stub_agent\",\"name\":\"Agent\",\"input\":{}}}")
                    + sse("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                    + "{\"type\":\"input_json_delta\",\"partial_json\":" + JSON.writeValueAsString(input.toString()) + "}}")
                    + sse("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                    + messageEnd("tool_use", usage);
        } else {
            usage = FINAL;
            events = textAnswer(model, usage, TEXT);
        }
        usageByModel.compute(model, (k, v) -> {
            long[] sum = v == null ? new long[4] : v;
            sum[0] += usage.inputTokens().orElseThrow();
            sum[1] += usage.outputTokens().orElseThrow();
            sum[2] += usage.cacheReadTokens().orElseThrow();
            sum[3] += usage.cacheWriteTokens().orElseThrow();
            return sum;
        });
        send(exchange, 200, "text/event-stream", events);
    }

    /** What the stub answered, per model id as claude sent it, in tokens. */
    Map<String, Usage> usageByModel() {
        Map<String, Usage> out = new LinkedHashMap<>();
        usageByModel.forEach((model, s) -> out.put(model, Usage.of(s[0], s[1], s[2], s[3])));
        return out;
    }

    private static String textAnswer(String model, Usage usage, String text) {
        return messageStart(model, usage)
                + sse("content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
                + sse("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text + "\"}}")
                + sse("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                + messageEnd("end_turn", usage);
    }

    private static String messageStart(String model, Usage u) {
        return sse("message_start", """
                {"type":"message_start","message":{"id":"msg_stub","type":"message","role":"assistant",\
                "model":"%s","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":%d,\
                "cache_creation_input_tokens":%d,"cache_read_input_tokens":%d,"output_tokens":1}}}"""
                .formatted(model, u.inputTokens().orElseThrow(), u.cacheWriteTokens().orElseThrow(),
                        u.cacheReadTokens().orElseThrow()));
    }

    private static String messageEnd(String stopReason, Usage u) {
        return sse("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stopReason
                + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + u.outputTokens().orElseThrow() + "}}")
                + sse("message_stop", "{\"type\":\"message_stop\"}");
    }

    @Override
    String errorBody(int status) {
        return "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"stub " + status + "\"}}";
    }
}
