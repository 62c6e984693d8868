package io.llmservice.spi;

import io.llmservice.config.TelemetrySettings;

import java.time.Clock;

/**
 * Opens the {@link TelemetryStore} named by {@code policies.telemetry.store}.
 *
 * <pre>{@code
 * public final class PostgresStoreProvider implements TelemetryStoreProvider {
 *     public String type() { return "postgres"; }
 *     public TelemetryStore open(TelemetrySettings settings, Clock clock) { return PostgresStore.open(settings, clock); }
 * }
 * // META-INF/services/io.llmservice.spi.TelemetryStoreProvider: com.example.PostgresStoreProvider
 * // YAML: policies: {telemetry: {store: postgres, url: "jdbc:postgresql://db/llm", user: llm, password: "${PGPASSWORD}"}}
 * }</pre>
 *
 * <p>A file store reads {@link TelemetrySettings#path()}; a server store reads {@code url()},
 * {@code user()}, {@code password()} (a {@link io.llmservice.config.Secret}: pass
 * {@code reveal()} to the driver, never to a message), {@code poolSize()} and
 * {@code connectTimeout()}, and names the store in its errors by {@link TelemetrySettings#location()}
 * and user, never by the password. A ledger that cannot reach its store throws
 * {@link io.llmservice.StoreUnreachableException} (code {@link io.llmservice.ErrorCode#TELEMETRY_STORE},
 * after its own retries): the service reads that as "the budget could not be checked" and refuses
 * the call, or runs it unmetered under a soft budget with {@code when_down: run}. Any other failure
 * of a store it reached (a lock wait that kept timing out, all connections busy, a schema error) is a
 * plain {@code LlmServiceException} with that code, and the call is refused whatever {@code when_down}
 * says.
 *
 * <p>Must have a public no-argument constructor and be thread-safe.
 */
public interface TelemetryStoreProvider {

    /** The YAML name, e.g. {@code memory} or {@code h2}. */
    String type();

    /**
     * Opens (creating or migrating as needed) the store.
     *
     * @throws io.llmservice.LlmServiceException naming the path (or URL) when it cannot be opened
     */
    TelemetryStore open(TelemetrySettings settings, Clock clock);

    /**
     * Checks the store {@code settings} name, as {@code llm-service telemetry check} does, without
     * creating it: a store that is not there fails the check and nothing is made. The default opens
     * the store and runs {@link TelemetryStore#check()}, which suits a store that opening cannot
     * create by mistake; a store kept in files overrides it to look for them first.
     */
    default StoreCheck check(TelemetrySettings settings, Clock clock) {
        try (TelemetryStore store = open(settings, clock)) {
            return store.check();
        }
    }

    /**
     * The process this provider runs to share a store between processes (the H2 store's daemon),
     * for {@code llm-service daemon status|stop}; empty (the default) when it runs none. Starts
     * nothing.
     */
    default java.util.Optional<StoreServer> server(TelemetrySettings settings) {
        return java.util.Optional.empty();
    }
}
