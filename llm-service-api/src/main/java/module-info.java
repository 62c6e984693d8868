/**
 * The public API of llm-service: the {@link io.llmservice.LlmService} facade, requests and
 * responses, the exception hierarchy, the immutable configuration model and the SPIs.
 */
module io.llmservice.api {
    exports io.llmservice;
    exports io.llmservice.config;
    exports io.llmservice.spi;

    uses io.llmservice.spi.LlmServiceFactory;
}
