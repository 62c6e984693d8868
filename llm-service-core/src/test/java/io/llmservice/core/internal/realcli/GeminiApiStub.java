package io.llmservice.core.internal.realcli;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;

/**
 * The Gemini API: {@code POST /v1beta/models/MODEL:generateContent} as one JSON answer and
 * {@code :streamGenerateContent?alt=sse} as server-sent events, each with {@link #TEXT} and
 * usage {@link #PROMPT} prompt tokens (of which {@link #CACHED} cached) and {@link #CANDIDATES}
 * candidate tokens. {@code :countTokens} answers the prompt count; anything else 404.
 *
 * <p>Errors are Google's {@code rpc.Status} bodies as the real API sends them, with its real
 * messages and no retry hint of any kind: a wrong key is HTTP 400 {@code INVALID_ARGUMENT} with
 * reason {@code API_KEY_INVALID}, not a 401.
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
        // Google's wording, from the Gemini API's troubleshooting page and real replies.
        return switch (status) {
            case 400 -> rpcStatus(400, "API key not valid. Please pass a valid API key.", "INVALID_ARGUMENT",
                    ",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\","
                            + "\"domain\":\"googleapis.com\",\"metadata\":{\"service\":\"generativelanguage.googleapis.com\"}}]");
            case 401 -> rpcStatus(401, "Request had invalid authentication credentials. Expected OAuth 2 access token,"
                    + " login cookie or other valid authentication credential.", "UNAUTHENTICATED", "");
            case 403 -> rpcStatus(403, "The caller does not have permission", "PERMISSION_DENIED", "");
            case 404 -> rpcStatus(404, "models/unknown is not found for API version v1beta", "NOT_FOUND", "");
            case 429 -> rpcStatus(429, "Resource has been exhausted (e.g. check quota).", "RESOURCE_EXHAUSTED", "");
            case 503 -> rpcStatus(503, "The model is overloaded. Please try again later.", "UNAVAILABLE", "");
            default -> rpcStatus(status, "An internal error has occurred. Please retry or report in"
                    + " https://developers.generativeai.google/guide/troubleshooting", "INTERNAL", "");
        };
    }

    private static String rpcStatus(int code, String message, String status, String details) {
        return "{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"status\":\"" + status + "\""
                + details + "}}";
    }
}
