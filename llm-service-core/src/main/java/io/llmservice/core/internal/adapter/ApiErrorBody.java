package io.llmservice.core.internal.adapter;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;

/**
 * A vendor API's JSON error body that a CLI quotes as its error message (gemini 0.61 reports
 * {@code {"error":{"code":400,"message":"API key not valid. ...","status":"INVALID_ARGUMENT"}}}),
 * reduced to what a person reads: the message and the status or type.
 *
 * <pre>{@code
 * ApiErrorBody.summary("{\"error\":{\"code\":429,\"message\":\"Quota exceeded\",\"status\":\"RESOURCE_EXHAUSTED\"}}");
 * // "Quota exceeded (RESOURCE_EXHAUSTED)"
 * ApiErrorBody.summary("plain words");   // "plain words"
 * }</pre>
 *
 * <p>Understands the shapes of Google's {@code rpc.Status}, OpenAI's {@code error} and
 * Anthropic's {@code {"type":"error","error":{...}}}; anything else is returned as it was.
 * Stateless.
 */
final class ApiErrorBody {
    private ApiErrorBody() {
    }

    /** The body's message and status when {@code message} is such a body, else {@code message} itself. */
    static String summary(String message) {
        String m = message.strip();
        if (!m.startsWith("{") || !m.endsWith("}")) {
            return message;
        }
        JsonNode body;
        try {
            body = OutputParser.JSON.readTree(m);
        } catch (IOException notJson) {
            return message;
        }
        JsonNode error = body.path("error");
        JsonNode text = error.isObject() ? error.path("message") : body.path("message");
        if (!text.isTextual() || text.textValue().isBlank()) {
            return message;
        }
        JsonNode kind = error.isObject() ? first(error.path("status"), error.path("type"), error.path("code"))
                : body.path("type");
        String k = kind.isValueNode() && !kind.asText().isBlank() ? kind.asText() : "";
        String s = text.textValue().strip();
        return k.isEmpty() || s.contains(k) ? s : s + " (" + k + ")";
    }

    private static JsonNode first(JsonNode... nodes) {
        for (JsonNode n : nodes) {
            if (n.isTextual() && !n.textValue().isBlank()) {
                return n;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
