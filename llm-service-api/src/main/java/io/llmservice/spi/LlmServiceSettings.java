package io.llmservice.spi;

import io.llmservice.ConfigSource;
import io.llmservice.LlmServiceListener;
import io.llmservice.Ticker;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * What {@link io.llmservice.LlmService.Builder} collected, handed to the {@link LlmServiceFactory}.
 *
 * <pre>{@code
 * // in an LlmServiceFactory
 * public LlmService create(LlmServiceSettings settings) {
 *     LlmConfig config = loader.load(settings.config(), settings.environment());
 *     TelemetryStore store = settings.telemetryStore().orElseGet(() -> open(config, settings.clock()));
 *     return new MyService(config, store, settings.listeners(), settings.ticker());
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param config         where the configuration comes from
 * @param clock          the clock for timestamps and budget periods
 * @param ticker         the monotonic source of intervals: rate-limit refill, deadlines, latency
 * @param listeners      event listeners
 * @param telemetryStore a store to use instead of the one {@code policies.telemetry} selects
 * @param classLoader    where SPI providers are looked up
 * @param environment    the environment {@code ${VAR}} reads and child processes inherit from
 * @param executor       the executor of {@code executeAsync()}; when empty the service owns one
 */
public record LlmServiceSettings(ConfigSource config, Clock clock, Ticker ticker, List<LlmServiceListener> listeners,
                                 Optional<TelemetryStore> telemetryStore, ClassLoader classLoader,
                                 Map<String, String> environment, Optional<ExecutorService> executor) {
    public LlmServiceSettings {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(ticker, "ticker");
        listeners = List.copyOf(listeners);
        Objects.requireNonNull(telemetryStore, "telemetryStore");
        Objects.requireNonNull(classLoader, "classLoader");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(executor, "executor");
    }

    @Override
    public String toString() {
        // The environment holds secrets: never print its values.
        return "LlmServiceSettings{config=" + config + ", clock=" + clock + ", listeners=" + listeners.size()
                + ", telemetryStore=" + telemetryStore.map(s -> s.getClass().getName()).orElse("from config")
                + ", environment=" + environment.size() + " variables}";
    }
}
