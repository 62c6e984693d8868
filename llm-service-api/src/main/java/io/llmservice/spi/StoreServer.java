package io.llmservice.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * The process a telemetry store runs to share itself between the processes of a machine — the H2
 * store's daemon — as {@code llm-service daemon status|stop} sees it. Found through
 * {@link TelemetryStoreProvider#server}; neither method starts anything.
 *
 * <pre>{@code
 * provider.server(settings).flatMap(StoreServer::status)
 *         .ifPresentOrElse(s -> System.out.println("running: " + s), () -> System.out.println("not running"));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public interface StoreServer {

    /** The running server, or empty when none runs. */
    Optional<StoreServerStatus> status();

    /**
     * Asks the running server to stop (it finishes what it is doing and closes the store cleanly)
     * and waits up to {@code wait}. Clients still using the store start a new one when they next
     * need it.
     *
     * @return true when no server runs any more
     */
    boolean stop(Duration wait);
}
