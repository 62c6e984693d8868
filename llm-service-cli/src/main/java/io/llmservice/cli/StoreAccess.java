package io.llmservice.cli;

import io.llmservice.ErrorCode;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.TelemetryStoreProvider;

import java.util.ServiceLoader;

/**
 * The telemetry store of a configuration, reached through the SPI rather than a whole service, for
 * the commands that look at the store itself ({@code daemon}, {@code telemetry}): reading the
 * configuration must not open the store (for H2 that would start its daemon), so the configuration
 * is loaded into a service that keeps its telemetry in memory.
 */
final class StoreAccess {
    private StoreAccess() {
    }

    /** The {@code policies.telemetry} of the configuration the command line names. */
    static TelemetrySettings settings(CliEnvironment env, CommonOptions common) {
        try (LlmService llm = ServiceOpener.openWithoutStore(env, common)) {
            return llm.config().policies().telemetry();
        }
    }

    /** The provider of a store type, as the service would find it. */
    static TelemetryStoreProvider provider(String type) {
        for (TelemetryStoreProvider p : ServiceLoader.load(TelemetryStoreProvider.class)) {
            if (p.type().equals(type)) {
                return p;
            }
        }
        throw new LlmServiceException(ErrorCode.PROVIDER_MISSING, "no telemetry store provider of type '" + type
                + "' is on the class path");
    }
}
