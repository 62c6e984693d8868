package io.llmservice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmservice.Attempt;
import io.llmservice.LlmResponse;
import io.llmservice.ModelUsage;
import io.llmservice.Usage;

import java.util.Locale;
import java.util.OptionalLong;

/**
 * {@code exec --json}: the whole response as one JSON object, snake_case keys, unknown values
 * as {@code null} (an unknown token count is not zero). Every number is a JSON number, costs exact
 * and never in exponent notation; {@code model_usage} is each model's share of the call (empty
 * when the tool gives no per-model breakdown).
 *
 * <pre>
 * {"request_id": "...", "text": "...", "tool": "claude-code", "model": "claude-sonnet-4-5",
 *  "reported_model": "claude-sonnet-4-5-20250929",
 *  "usage": {"input_tokens": 123, "output_tokens": 45, "cache_read_tokens": 0, "cache_write_tokens": 0},
 *  "cost_usd": 0.001044, "cost_source": "tool_reported", "latency_ms": 812,
 *  "model_usage": [{"model": "claude-sonnet-4-5", "usage": {...}, "cost_usd": 0.00165},
 *                  {"model": "claude-haiku-4-5", "usage": {...}, "cost_usd": 0.0003}],
 *  "attempts": [{"number": 1, "tool": "claude-code", "model": "claude-sonnet-4-5", "outcome": "success",
 *                "latency_ms": 800, "exit_code": 0, "error_code": null, "error": null}],
 *  "session": null, "warnings": []}
 * </pre>
 *
 * <p>{@code session} is {@code "TOOL:ID"} when the request kept a session ({@code --new-session},
 * {@code --session}) and the tool reported it, else null.
 */
final class ResponseJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private ResponseJson() {
    }

    static String render(LlmResponse r) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("request_id", r.requestId());
        root.put("text", r.text());
        root.put("tool", r.tool());
        root.put("model", r.model());
        root.put("reported_model", r.reportedModel().orElse(null));
        root.set("usage", usage(r.usage()));
        if (r.costUsd().isPresent()) {
            root.put("cost_usd", r.costUsd().get());
        } else {
            root.putNull("cost_usd");
        }
        root.put("cost_source", r.costSource().name().toLowerCase(Locale.ROOT));
        root.put("latency_ms", r.latency().toMillis());
        ArrayNode perModel = root.putArray("model_usage");
        for (ModelUsage m : r.modelUsage()) {
            ObjectNode n = perModel.addObject();
            n.put("model", m.model());
            n.set("usage", usage(m.usage()));
            if (m.costUsd().isPresent()) {
                n.put("cost_usd", m.costUsd().get());
            } else {
                n.putNull("cost_usd");
            }
        }
        ArrayNode attempts = root.putArray("attempts");
        for (Attempt a : r.attempts()) {
            ObjectNode n = attempts.addObject();
            n.put("number", a.number());
            n.put("tool", a.tool());
            n.put("model", a.model());
            n.put("outcome", a.outcome().storedName());
            n.put("latency_ms", a.latency().toMillis());
            if (a.exitCode().isPresent()) {
                n.put("exit_code", a.exitCode().getAsInt());
            } else {
                n.putNull("exit_code");
            }
            n.put("error_code", a.failure().map(f -> f.code().id()).orElse(null));
            n.put("error", a.failure().map(Throwable::getMessage).orElse(null));
        }
        root.put("session", r.session().map(Object::toString).orElse(null));
        ArrayNode warnings = root.putArray("warnings");
        r.warnings().forEach(warnings::add);
        try {
            return MAPPER.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render the response as JSON", e);
        }
    }

    private static ObjectNode usage(Usage u) {
        ObjectNode n = MAPPER.createObjectNode();
        count(n, "input_tokens", u.inputTokens());
        count(n, "output_tokens", u.outputTokens());
        count(n, "cache_read_tokens", u.cacheReadTokens());
        count(n, "cache_write_tokens", u.cacheWriteTokens());
        return n;
    }

    private static void count(ObjectNode n, String key, OptionalLong value) {
        if (value.isPresent()) {
            n.put(key, value.getAsLong());
        } else {
            n.putNull(key);
        }
    }
}
