/**
 * Test doubles for users of llm-service: {@code FakeCli}, a real program scriptable like a mock
 * web server, which records argv, standard input and environment byte-exact.
 */
module io.llmservice.testkit {
    requires transitive io.llmservice.api;
    requires com.fasterxml.jackson.databind;

    exports io.llmservice.testkit;
}
