/**
 * Test doubles for users of llm-service: {@link io.llmservice.testkit.FakeCli}, a real program
 * standing in for a tool's CLI, scriptable like a mock web server and recording what it received;
 * and the shared contract tests every adapter must pass,
 * {@link io.llmservice.testkit.AbstractToolAdapterContractTest}.
 */
module io.llmservice.testkit {
    requires transitive io.llmservice.api;
    requires com.fasterxml.jackson.databind;
    // The shared contract tests are JUnit 5 + AssertJ classes that users extend.
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;

    exports io.llmservice.testkit;
}
