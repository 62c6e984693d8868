package io.llmservice.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A vendor's model API on 127.0.0.1 and an ephemeral port that answers every generation request
 * with {@link #TEXT}, in the success shape the real API sends and the real CLI reads: the
 * Anthropic Messages API streamed as server-sent events (claude), the OpenAI Responses API
 * streamed as server-sent events (codex), the Gemini API as SSE or one JSON answer (gemini).
 * Anything else (model lists, metadata) gets 404, which the CLIs take as "none".
 *
 * <pre>{@code
 * try (VendorApiStub api = new VendorApiStub(VendorApiStub.Vendor.ANTHROPIC)) {
 *     env.put("ANTHROPIC_BASE_URL", api.baseUrl());
 *     // ... run claude ...
 *     assert api.generations() > 0;
 * }
 * }</pre>
 *
 * <p>Started by the constructor, stopped by {@link #close()}; thread-safe.
 */
final class VendorApiStub implements AutoCloseable {

    /** The text every answer carries; the benchmark checks that the CLI printed it. */
    static final String TEXT = "STUB-OK";

    /** Whose API the stub speaks. */
    enum Vendor { ANTHROPIC, OPENAI, GOOGLE }

    private static final Pattern MODEL = Pattern.compile("\"model\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STREAM = Pattern.compile("\"stream\"\\s*:\\s*true");

    private final Vendor vendor;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "vendor-api-stub");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger generations = new AtomicInteger();

    VendorApiStub(Vendor vendor) {
        this.vendor = vendor;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many generation requests were answered so far. */
    int generations() {
        return generations.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            boolean post = exchange.getRequestMethod().equals("POST");
            switch (vendor) {
                case ANTHROPIC -> {
                    if (post && path.equals("/v1/messages")) {
                        generations.incrementAndGet();
                        anthropic(exchange, body);
                        return;
                    }
                }
                case OPENAI -> {
                    if (post && path.endsWith("/responses")) {
                        generations.incrementAndGet();
                        send(exchange, "text/event-stream", openAi());
                        return;
                    }
                }
                case GOOGLE -> {
                    if (post && path.endsWith(":countTokens")) {
                        send(exchange, "application/json", "{\"totalTokens\":123}");
                        return;
                    }
                    if (post && (path.endsWith(":generateContent") || path.endsWith(":streamGenerateContent"))) {
                        generations.incrementAndGet();
                        String chunk = google(path.substring(path.lastIndexOf('/') + 1, path.lastIndexOf(':')));
                        boolean stream = path.endsWith(":streamGenerateContent");
                        send(exchange, stream ? "text/event-stream" : "application/json",
                                stream ? sse(null, chunk) : chunk);
                        return;
                    }
                }
            }
            byte[] notFound = "{\"error\":{\"message\":\"no such endpoint in the stub\"}}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "application/json");
            // claude checks the base URL with HEAD before its first request: no body for that.
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(404, head ? -1 : notFound.length);
            if (!head) {
                exchange.getResponseBody().write(notFound);
            }
        } catch (IOException | RuntimeException e) {
            // A CLI hanging up early is not the stub's failure: the benchmark checks the CLI's answer.
        }
    }

    private static void anthropic(HttpExchange exchange, String body) throws IOException {
        Matcher m = MODEL.matcher(body);
        String model = m.find() ? m.group(1) : "claude-sonnet-4-5";
        String usage = "\"usage\":{\"input_tokens\":123,\"cache_creation_input_tokens\":0,"
                + "\"cache_read_input_tokens\":0,\"output_tokens\":";
        if (!STREAM.matcher(body).find()) {
            send(exchange, "application/json", "{\"id\":\"msg_stub\",\"type\":\"message\",\"role\":\"assistant\","
                    + "\"model\":\"" + model + "\",\"content\":[{\"type\":\"text\",\"text\":\"" + TEXT + "\"}],"
                    + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null," + usage + "45}}");
            return;
        }
        send(exchange, "text/event-stream", sse("message_start", "{\"type\":\"message_start\",\"message\":{"
                + "\"id\":\"msg_stub\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model + "\","
                + "\"content\":[],\"stop_reason\":null,\"stop_sequence\":null," + usage + "1}}}")
                + sse("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
                + sse("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + TEXT + "\"}}")
                + sse("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                + sse("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":45}}")
                + sse("message_stop", "{\"type\":\"message_stop\"}"));
    }

    private static String openAi() {
        String message = "{\"id\":\"msg_stub\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\","
                + "\"content\":[{\"type\":\"output_text\",\"text\":\"" + TEXT + "\",\"annotations\":[]}]}";
        return sse("response.created", "{\"type\":\"response.created\",\"sequence_number\":0,"
                + "\"response\":{\"id\":\"resp_stub\",\"object\":\"response\",\"status\":\"in_progress\",\"output\":[]}}")
                + sse("response.output_item.added", "{\"type\":\"response.output_item.added\",\"sequence_number\":1,"
                + "\"output_index\":0,\"item\":{\"id\":\"msg_stub\",\"type\":\"message\",\"status\":\"in_progress\","
                + "\"role\":\"assistant\",\"content\":[]}}")
                + sse("response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"sequence_number\":2,"
                + "\"item_id\":\"msg_stub\",\"output_index\":0,\"content_index\":0,\"delta\":\"" + TEXT + "\"}")
                + sse("response.output_item.done", "{\"type\":\"response.output_item.done\",\"sequence_number\":3,"
                + "\"output_index\":0,\"item\":" + message + "}")
                + sse("response.completed", "{\"type\":\"response.completed\",\"sequence_number\":4,"
                + "\"response\":{\"id\":\"resp_stub\",\"object\":\"response\",\"status\":\"completed\","
                + "\"output\":[" + message + "],\"usage\":{\"input_tokens\":123,"
                + "\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":45,"
                + "\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":168}}}");
    }

    private static String google(String model) {
        return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"" + TEXT + "\"}],\"role\":\"model\"},"
                + "\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":123,"
                + "\"candidatesTokenCount\":45,\"totalTokenCount\":168},\"modelVersion\":\"" + model + "\","
                + "\"responseId\":\"stub\"}";
    }

    /** Server-sent events: an {@code event:} line only when {@code name} is not null. */
    private static String sse(String name, String json) {
        return (name == null ? "" : "event: " + name + "\n") + "data: " + json + "\n\n";
    }

    private static void send(HttpExchange exchange, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", contentType);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
