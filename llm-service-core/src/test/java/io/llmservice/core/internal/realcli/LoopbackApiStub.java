package io.llmservice.core.internal.realcli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A vendor API double on 127.0.0.1 and an ephemeral port, for pointing a real CLI at: every
 * answer carries {@link #TEXT} and the usage the subclass dictates, or, after
 * {@link #failWith(int)}, that HTTP status with the vendor's error body, or, after
 * {@link #hang()}, nothing at all. Every request is recorded.
 *
 * <p>As hostile as the real APIs: an error carries no {@code x-should-retry} or
 * {@code retry-after} hint (a CLI that retries on its own shows it by being slow), and the body
 * is the vendor's own error document.
 *
 * <p>Started by the constructor, stopped by {@link #close()}. Thread-safe: the CLI may send
 * requests concurrently while the test reads {@link #requests()}.
 */
abstract class LoopbackApiStub implements AutoCloseable {

    /** The text every successful answer carries. */
    static final String TEXT = "STUB-OK";

    /** One request as the stub received it. */
    record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers, String body) {
        RecordedRequest {
            headers = Map.copyOf(headers);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "api-stub");
        t.setDaemon(true);
        return t;
    });
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private volatile int failStatus;
    /** Released by {@link #close()}: what a hung request waits for. */
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean hang;

    LoopbackApiStub() {
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
    final String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on every request is answered with {@code status} and the vendor's error body; 0 heals. */
    final void failWith(int status) {
        failStatus = status;
    }

    /**
     * From now on every connection is accepted and its request read, but never answered: no
     * status line, no headers, until {@link #close()}. What a stuck API or proxy does.
     */
    final void hang() {
        hang = true;
    }

    final List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** The requests that asked for a model answer, as opposed to metadata look-ups. */
    final List<RecordedRequest> generationRequests() {
        return requests().stream().filter(this::isGeneration).toList();
    }

    abstract boolean isGeneration(RecordedRequest request);

    /** Answers a request that is to succeed. */
    abstract void answer(HttpExchange exchange, RecordedRequest request) throws IOException;

    /** The vendor's JSON error body for {@code status}. */
    abstract String errorBody(int status);

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders(), body);
            requests.add(request);
            int status = failStatus;
            if (hang) {
                closed.await();
            } else if (status != 0) {
                send(exchange, status, "application/json", errorBody(status));
            } else {
                answer(exchange, request);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | IOException e) {
            // The CLI hanging up early is no failure of the stub; the test asserts on what the CLI said.
        }
    }

    static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Server-sent events: {@code event:} lines only when {@code name} is not null. */
    static String sse(String name, String json) {
        return (name == null ? "" : "event: " + name + "\n") + "data: " + json + "\n\n";
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
