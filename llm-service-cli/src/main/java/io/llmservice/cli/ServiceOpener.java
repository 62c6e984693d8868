package io.llmservice.cli;

import io.llmservice.LlmService;
import io.llmservice.LlmServiceListener;
import io.llmservice.config.TelemetrySettings;

import java.time.Clock;
import java.util.List;

/**
 * Locates the configuration and builds the {@link LlmService} for one command run, through the
 * public builder only: the implementation is whatever {@link java.util.ServiceLoader} finds.
 */
final class ServiceOpener {
    private ServiceOpener() {
    }

    /** The configuration this command run uses, or a {@link UsageException} saying none was found. */
    static ConfigLocator.Location locate(CliEnvironment env, CommonOptions common) {
        ConfigLocator locator = new ConfigLocator(env);
        ConfigLocator.Location location = locator.locate(common.config()).orElseThrow(locator::notFound);
        if (common.verbose()) {
            env.err().println("config: " + location.path() + " (from " + location.rule() + ")");
        }
        return location;
    }

    /** Builds the service; the caller closes it. */
    static LlmService open(CliEnvironment env, CommonOptions common, List<LlmServiceListener> listeners) {
        return open(env, common, locate(env, common), listeners);
    }

    /** Builds the service from a configuration {@link #locate} found already; the caller closes it. */
    static LlmService open(CliEnvironment env, CommonOptions common, ConfigLocator.Location location,
                           List<LlmServiceListener> listeners) {
        if (common.verbose()) {
            // Read once, when the first logger is created, which happens inside build().
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
        }
        LlmService.Builder builder = LlmService.builder().config(location.path()).environment(env.variables());
        listeners.forEach(builder::listener);
        return builder.build();
    }

    /**
     * Builds the service with its telemetry in memory, for a command that reads the configuration
     * or the tools but not the store: the configured store is not opened (for H2 that would start
     * its daemon). The caller closes it.
     */
    static LlmService openWithoutStore(CliEnvironment env, CommonOptions common) {
        return openWithoutStore(env, locate(env, common));
    }

    /** As {@link #openWithoutStore(CliEnvironment, CommonOptions)}, from a configuration {@link #locate} found. */
    static LlmService openWithoutStore(CliEnvironment env, ConfigLocator.Location location) {
        TelemetrySettings placeholder = TelemetrySettings.builder().store("memory").path(location.path()).build();
        return LlmService.builder().config(location.path()).environment(env.variables())
                .telemetryStore(StoreAccess.provider("memory").open(placeholder, Clock.systemUTC()))
                .build();
    }
}
