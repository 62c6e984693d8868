/** Runnable examples of llm-service: the demo and the persona workflows. */
module io.llmservice.examples {
    requires io.llmservice.api;
    requires io.llmservice.testkit;

    uses io.llmservice.spi.TelemetryStoreProvider;
}
