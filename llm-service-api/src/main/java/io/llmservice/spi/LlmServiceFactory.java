package io.llmservice.spi;

import io.llmservice.LlmService;

/**
 * Creates the {@link LlmService} implementation; {@code llm-service-core} provides the one
 * implementation. Found by {@link java.util.ServiceLoader} from {@link LlmService#builder()}.
 *
 * <pre>{@code
 * // llm-service-core registers its factory in META-INF/services/io.llmservice.spi.LlmServiceFactory;
 * // the builder finds it, and says PROVIDER_MISSING when none is on the class path:
 * LlmService llm = LlmService.builder().config(Path.of("llm-service.yaml")).build();
 * }</pre>
 *
 * <p>An implementation must be thread-safe and have a public no-argument constructor.
 */
public interface LlmServiceFactory {

    /** Creates a service. Loads and validates the configuration; throws on any problem. */
    LlmService create(LlmServiceSettings settings);

    /**
     * Loads and validates the configuration of {@code settings} the way {@link #create} does, without
     * building a service ({@link LlmService.Builder#loadConfig()}).
     *
     * @throws io.llmservice.ConfigException listing every problem of the configuration
     * @throws UnsupportedOperationException from an implementation that cannot (the default)
     */
    default io.llmservice.config.LlmConfig loadConfig(LlmServiceSettings settings) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot load a configuration alone");
    }
}
