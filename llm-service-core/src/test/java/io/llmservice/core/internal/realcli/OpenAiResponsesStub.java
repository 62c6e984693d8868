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
            send(exchange, 404, "application/json", error("not_found", "no such endpoint in the stub"));
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

    @Override
    String errorBody(int status) {
        return switch (status) {
            case 401 -> error("invalid_api_key", "stub 401: Incorrect API key provided");
            case 429 -> error("rate_limit_exceeded", "stub 429: Rate limit reached");
            default -> error("server_error", "stub " + status + ": The server had an error");
        };
    }

    private static String error(String code, String message) {
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + code + "\",\"param\":null,\"code\":\""
                + code + "\"}}";
    }
}
