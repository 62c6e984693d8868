/** JMH benchmarks of llm-service against the bars of SPEC section 8. Not deployed. */
module io.llmservice.benchmarks {
    requires io.llmservice.api;
    requires jmh.core;

    provides io.llmservice.spi.ToolAdapterProvider with io.llmservice.benchmarks.StubToolAdapterProvider;
}
