package io.llmservice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Debian's {@code chromium}, headless, driven over the Chrome DevTools Protocol: a small client on
 * {@link java.net.http.WebSocket} and Jackson. Started with a fresh profile and
 * {@code --remote-debugging-port=0}; the port is read from {@code DevToolsActivePort}. Every event is
 * kept ({@link #events}), so a test can fail on any console error, exception or network request.
 * {@link #close()} kills chromium and every process it started, by PID.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();

    /** The chromium binary on PATH (or in /usr/bin), if there is one. */
    static Optional<Path> find() {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin";
        return Stream.of(path.split(":")).filter(d -> !d.isEmpty())
                .flatMap(d -> Stream.of(Path.of(d, "chromium"), Path.of(d, "chromium-browser")))
                .filter(Files::isExecutable).findFirst();
    }

    HeadlessChromium(Path binary, Path profile) throws IOException, InterruptedException {
        process = builder(binary, profile).start();
        try {
            Path active = profile.resolve("DevToolsActivePort");
            Instant deadline = Instant.now().plus(TIMEOUT);
            while (!Files.exists(active) || Files.readAllLines(active).size() < 2) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("chromium did not open its DevTools port (alive: " + process.isAlive()
                            + "); see " + profile.resolveSibling(profile.getFileName() + ".log"));
                }
                Thread.sleep(50);
            }
            int port = Integer.parseInt(Files.readAllLines(active).get(0).strip());
            HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
            String pageSocket = null;
            while (pageSocket == null) {
                JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/json/list")).timeout(TIMEOUT).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                for (JsonNode t : targets) {
                    if (t.path("type").asText().equals("page")) {
                        pageSocket = t.path("webSocketDebuggerUrl").asText();
                    }
                }
                if (pageSocket == null) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("chromium shows no page target: " + targets);
                    }
                    Thread.sleep(50);
                }
            }
            socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new Listener())
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (IOException | InterruptedException | RuntimeException e) {
            close(process);
            throw e;
        } catch (Exception e) {
            close(process);
            throw new IllegalStateException("cannot connect to chromium: " + e, e);
        }
    }

    /**
     * The chromium command: a fresh profile, and a HOME and XDG directories inside {@code profile}'s
     * parent, so chromium writes nothing (NSS database, caches) into the real home, and a TMPDIR there too (its
     * singleton socket directory would otherwise outlive the test in /tmp). Shared memory
     * goes to /tmp ({@code --disable-dev-shm-usage}): a container's /dev/shm is often 64 MB.
     */
    static ProcessBuilder builder(Path binary, Path profile) throws IOException {
        Files.createDirectories(profile);
        Path home = Files.createDirectories(profile.resolveSibling(profile.getFileName() + "-home"));
        ProcessBuilder pb = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--window-size=1100,900", "--hide-scrollbars",
                "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolveSibling(profile.getFileName() + ".log").toFile());
        pb.environment().put("HOME", home.toString());
        pb.environment().put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        pb.environment().put("XDG_CACHE_HOME", home.resolve(".cache").toString());
        pb.environment().put("XDG_DATA_HOME", home.resolve(".local/share").toString());
        pb.environment().put("TMPDIR", Files.createDirectories(home.resolve("tmp")).toString());
        return pb;
    }

    /** Sends a command and waits for its result; a protocol error fails. */
    JsonNode send(String method, Map<String, Object> params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", JSON.valueToTree(params));
        try {
            socket.sendText(JSON.writeValueAsString(msg), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            JsonNode reply = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new IllegalStateException(method + " failed: " + reply.get("error"));
            }
            return reply.path("result");
        } catch (Exception e) {
            throw new IllegalStateException(method + ": " + e, e);
        }
    }

    /** Waits for an event of {@code method} received after {@code from} events had been seen. */
    JsonNode await(String method, int from) throws InterruptedException {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            for (int i = from; i < events.size(); i++) {
                if (events.get(i).path("method").asText().equals(method)) {
                    return events.get(i);
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no " + method + " within " + TIMEOUT + "; events: " + events);
    }

    /** Every event received so far. */
    List<JsonNode> events() {
        return List.copyOf(events);
    }

    /** Evaluates a JS expression in the page and returns its value. */
    JsonNode evaluate(String expression) {
        JsonNode r = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("script failed: " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** A PNG of the whole page. */
    void screenshot(Path png) throws IOException {
        screenshot(png, Double.MAX_VALUE);
    }

    /** A PNG of the page's top, at most {@code maxHeight} CSS pixels. */
    void screenshot(Path png, double maxHeight) throws IOException {
        JsonNode size = send("Page.getLayoutMetrics", Map.of()).path("cssContentSize");
        JsonNode shot = send("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true, "clip",
                Map.of("x", 0, "y", 0, "width", size.path("width").asDouble(), "height", Math.min(maxHeight, size.path("height").asDouble()),
                        "scale", 1)));
        Files.createDirectories(png.getParent());
        Files.write(png, Base64.getDecoder().decode(shot.path("data").asText()));
    }

    @Override
    public void close() {
        try {
            socket.abort();
        } finally {
            close(process);
        }
    }

    /** Kills chromium and its process tree (renderers, zygote, GPU and network services), by PID. */
    private static void close(Process p) {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        p.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle h : tree) {
            h.onExit().completeOnTimeout(h, 10, TimeUnit.SECONDS).join();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode msg = JSON.readTree(partial.toString());
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                        if (f != null) {
                            f.complete(msg);
                        }
                    } else {
                        events.add(msg);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    partial.setLength(0);
                }
            }
            ws.request(1);
            return null;
        }
    }
}
