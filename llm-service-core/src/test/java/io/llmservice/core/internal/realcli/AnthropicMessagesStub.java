package io.llmservice.core.internal.realcli;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Anthropic Messages API ({@code POST /v1/messages}), streamed as server-sent events when the
 * request says {@code "stream": true} (claude always does) and as one JSON message otherwise.
 * Usage: {@link #INPUT} input, {@link #OUTPUT} output, {@link #CACHE_READ} cache-read and
 * {@link #CACHE_WRITE} cache-creation tokens.
 */
final class AnthropicMessagesStub extends LoopbackApiStub {
    static final int INPUT = 123;
    static final int OUTPUT = 45;
    static final int CACHE_READ = 10;
    static final int CACHE_WRITE = 20;

    private static final Pattern MODEL = Pattern.compile("\"model\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STREAM = Pattern.compile("\"stream\"\\s*:\\s*true");

    @Override
    boolean isGeneration(RecordedRequest request) {
        return request.method().equals("POST") && request.path().equals("/v1/messages");
    }

    @Override
    void answer(HttpExchange exchange, RecordedRequest request) throws IOException {
        if (!isGeneration(request)) {
            send(exchange, 404, "application/json", errorJson("not_found_error", "no such endpoint in the stub"));
            return;
        }
        Matcher m = MODEL.matcher(request.body());
        String model = m.find() ? m.group(1) : "claude-sonnet-4-5";
        String usage = "{\"input_tokens\":%d,\"cache_creation_input_tokens\":%d,\"cache_read_input_tokens\":%d,"
                .formatted(INPUT, CACHE_WRITE, CACHE_READ);
        if (!STREAM.matcher(request.body()).find()) {
            send(exchange, 200, "application/json", """
                    {"id":"msg_stub","type":"message","role":"assistant","model":"%s",\
                    "content":[{"type":"text","text":"%s"}],"stop_reason":"end_turn","stop_sequence":null,\
                    "usage":%s"output_tokens":%d}}""".formatted(model, TEXT, usage, OUTPUT));
            return;
        }
        String events = sse("message_start", """
                {"type":"message_start","message":{"id":"msg_stub","type":"message","role":"assistant",\
                "model":"%s","content":[],"stop_reason":null,"stop_sequence":null,"usage":%s"output_tokens":1}}}"""
                .formatted(model, usage))
                + sse("content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
                + sse("ping", "{\"type\":\"ping\"}")
                + sse("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + TEXT + "\"}}")
                + sse("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                + sse("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + OUTPUT + "}}")
                + sse("message_stop", "{\"type\":\"message_stop\"}");
        send(exchange, 200, "text/event-stream", events);
    }

    /** The bodies api.anthropic.com sends, word for word apart from the request id. */
    @Override
    String errorBody(int status) {
        return switch (status) {
            case 401 -> errorJson("authentication_error", "invalid x-api-key");
            case 403 -> errorJson("permission_error", "Your API key does not have permission to use the specified resource.");
            case 429 -> errorJson("rate_limit_error", "This request would exceed the rate limit for your organization of"
                    + " 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.");
            case 529 -> errorJson("overloaded_error", "Overloaded");
            default -> errorJson("api_error", "Internal server error");
        };
    }

    private static String errorJson(String type, String message) {
        return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message
                + "\"},\"request_id\":\"req_011CStubStubStubStubStub\"}";
    }
}
