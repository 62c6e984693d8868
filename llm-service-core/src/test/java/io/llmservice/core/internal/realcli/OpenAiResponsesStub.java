package io.llmservice.core.internal.realcli;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;

/**
 * The OpenAI Responses API ({@code POST /v1/responses}) streamed as codex reads it:
 * {@code response.created}, one assistant message item with its text delta,
 * {@code response.completed} carrying the usage ({@link #INPUT} input of which
 * {@link #CACHED} cached, {@link #OUTPUT} output). Other paths (codex's model list) get 404,
 * which codex takes as "no metadata".
 */
final class OpenAiResponsesStub extends LoopbackApiStub {
    static final int INPUT = 123;
    static final int CACHED = 23;
    static final int OUTPUT = 45;

    @Override
    boolean isGeneration(RecordedRequest request) {
        return request.method().equals("POST") && request.path().endsWith("/responses");
    }

    @Override
    void answer(HttpExchange exchange, RecordedRequest request) throws IOException {
        if (!isGeneration(request)) {
            send(exchange, 404, "application/json", errorBody(404));
            return;
        }
        String message = "{\"id\":\"msg_stub\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\","
                + "\"content\":[{\"type\":\"output_text\",\"text\":\"" + TEXT + "\",\"annotations\":[]}]}";
        String events = sse("response.created", "{\"type\":\"response.created\",\"sequence_number\":0,"
                + "\"response\":{\"id\":\"resp_stub\",\"object\":\"response\",\"status\":\"in_progress\",\"output\":[]}}")
                + sse("response.output_item.added", "{\"type\":\"response.output_item.added\",\"sequence_number\":1,"
                + "\"output_index\":0,\"item\":{\"id\":\"msg_stub\",\"type\":\"message\",\"status\":\"in_progress\","
                + "\"role\":\"assistant\",\"content\":[]}}")
                + sse("response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"sequence_number\":2,"
                + "\"item_id\":\"msg_stub\",\"output_index\":0,\"content_index\":0,\"delta\":\"" + TEXT + "\"}")
                + sse("response.output_item.done", "{\"type\":\"response.output_item.done\",\"sequence_number\":3,"
                + "\"output_index\":0,\"item\":" + message + "}")
                + sse("response.completed", ("{\"type\":\"response.completed\",\"sequence_number\":4,"
                + "\"response\":{\"id\":\"resp_stub\",\"object\":\"response\",\"status\":\"completed\",\"output\":[%s],"
                + "\"usage\":{\"input_tokens\":%d,\"input_tokens_details\":{\"cached_tokens\":%d},"
                + "\"output_tokens\":%d,\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":%d}}}")
                .formatted(message, INPUT, CACHED, OUTPUT, INPUT + OUTPUT));
        send(exchange, 200, "text/event-stream", events);
    }

    /** The bodies api.openai.com sends: {@code {"error":{"message","type","param","code"}}}. */
    @Override
    String errorBody(int status) {
        return switch (status) {
            case 401 -> error("Incorrect API key provided: sk-stub***-key. You can find your API key at"
                    + " https://platform.openai.com/account/api-keys.", "invalid_request_error", "\"invalid_api_key\"");
            case 404 -> error("Invalid URL (GET /v1/models)", "invalid_request_error", "null");
            case 429 -> error("Rate limit reached for gpt-5-codex in organization org-stub on requests per min (RPM):"
                    + " Limit 500, Used 500, Requested 1. Please try again in 120ms.", "requests",
                    "\"rate_limit_exceeded\"");
            default -> error("The server had an error while processing your request. Sorry about that!",
                    "server_error", "null");
        };
    }

    private static String error(String message, String type, String code) {
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null,\"code\":"
                + code + "}}";
    }
}
