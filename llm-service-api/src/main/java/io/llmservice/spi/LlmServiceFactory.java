package io.llmservice.spi;

import io.llmservice.LlmService;

/**
 * Creates the {@link LlmService} implementation; {@code llm-service-core} provides the one
 * implementation. Found by {@link java.util.ServiceLoader} from {@link LlmService#builder()}.
 */
public interface LlmServiceFactory {

    /** Creates a service. Loads and validates the configuration; throws on any problem. */
    LlmService create(LlmServiceSettings settings);
}
