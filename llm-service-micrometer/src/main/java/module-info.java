/**
 * Optional Micrometer metrics for llm-service: {@link io.llmservice.micrometer.LlmServiceMetrics}, a
 * listener that publishes to any {@code MeterRegistry}. Core does not depend on Micrometer; only an
 * application that adds this module does.
 */
@SuppressWarnings("requires-transitive-automatic") // MeterRegistry is in our API; the app has the jar anyway
module io.llmservice.micrometer {
    requires transitive io.llmservice.api;
    // micrometer-core declares no module; this is the Automatic-Module-Name of its jar.
    requires transitive micrometer.core;
    requires org.slf4j;

    exports io.llmservice.micrometer;
}
