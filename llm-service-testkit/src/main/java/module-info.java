/**
 * Test doubles for users of llm-service: {@link io.llmservice.testkit.FakeCli}, a real program
 * standing in for a tool's CLI, scriptable like a mock web server and recording what it received.
 */
module io.llmservice.testkit {
    requires transitive io.llmservice.api;
    requires com.fasterxml.jackson.databind;

    exports io.llmservice.testkit;
}
