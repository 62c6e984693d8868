package io.llmservice.cli;

import io.llmservice.LlmService;
import io.llmservice.LlmServiceListener;

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
        ConfigLocator.Location location = locate(env, common);
        if (common.verbose()) {
            // Read once, when the first logger is created, which happens inside build().
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
        }
        LlmService.Builder builder = LlmService.builder().config(location.path()).environment(env.variables());
        listeners.forEach(builder::listener);
        return builder.build();
    }
}
