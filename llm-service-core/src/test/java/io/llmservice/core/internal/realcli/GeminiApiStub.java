package io.llmservice.core.internal.realcli;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;

/**
 * The Gemini API: {@code POST /v1beta/models/MODEL:generateContent} as one JSON answer and
 * {@code :streamGenerateContent?alt=sse} as server-sent events, each with {@link #TEXT} and
 * usage {@link #PROMPT} prompt tokens (of which {@link #CACHED} cached) and {@link #CANDIDATES}
 * candidate tokens. {@code :countTokens} answers the prompt count; anything else 404.
 */
final class GeminiApiStub extends LoopbackApiStub {
    static final int PROMPT = 123;
    static final int CACHED = 23;
    static final int CANDIDATES = 45;

    @Override
    boolean isGeneration(RecordedRequest request) {
        return request.method().equals("POST")
                && (request.path().endsWith(":generateContent") || request.path().endsWith(":streamGenerateContent"));
    }

    @Override
    void answer(HttpExchange exchange, RecordedRequest request) throws IOException {
        String path = request.path();
        if (path.endsWith(":countTokens")) {
            send(exchange, 200, "application/json", "{\"totalTokens\":" + PROMPT + "}");
            return;
        }
        if (!isGeneration(request)) {
            send(exchange, 404, "application/json", errorBody(404));
            return;
        }
        String model = path.substring(path.lastIndexOf('/') + 1, path.lastIndexOf(':'));
        String chunk = ("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"%s\"}],\"role\":\"model\"},"
                + "\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":%d,"
                + "\"candidatesTokenCount\":%d,\"cachedContentTokenCount\":%d,\"totalTokenCount\":%d},"
                + "\"modelVersion\":\"%s\",\"responseId\":\"stub\"}")
                .formatted(TEXT, PROMPT, CANDIDATES, CACHED, PROMPT + CANDIDATES, model);
        if (path.endsWith(":streamGenerateContent")) {
            send(exchange, 200, "text/event-stream", sse(null, chunk));
        } else {
            send(exchange, 200, "application/json", chunk);
        }
    }

    @Override
    String errorBody(int status) {
        String state = switch (status) {
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 503 -> "UNAVAILABLE";
            default -> "INTERNAL";
        };
        return "{\"error\":{\"code\":" + status + ",\"message\":\"stub " + status + ": " + state + "\",\"status\":\""
                + state + "\"}}";
    }
}
