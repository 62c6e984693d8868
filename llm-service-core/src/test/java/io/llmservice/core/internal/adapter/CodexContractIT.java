package io.llmservice.core.internal.adapter;

import io.llmservice.testkit.FakeCli;

import static io.llmservice.core.internal.adapter.BuiltinTools.fixture;

/** The built-in codex definition keeps the adapter contract, on codex's JSON-lines events. */
class CodexContractIT extends BuiltinToolContract {

    @Override
    String toolName() {
        return "codex";
    }

    @Override
    String binaryName() {
        return "codex";
    }

    @Override
    String answer() {
        return fixture("codex-0.171.0-success.jsonl");
    }

    @Override
    FakeCli.Builder failingRetriably(FakeCli.Builder fake) {
        // How codex 0.171 reports an HTTP 429 from the API (see the catalogue's retriable_when).
        return fake.stdout("{\"type\":\"thread.started\",\"thread_id\":\"t-1\"}\n{\"type\":\"turn.started\"}\n"
                + "{\"type\":\"turn.failed\",\"error\":{\"message\":\"We're currently experiencing high demand, "
                + "which may cause temporary errors.\"}}\n").exitCode(1);
    }

    @Override
    FakeCli.Builder failingPermanently(FakeCli.Builder fake) {
        return fake.stdout("{\"type\":\"thread.started\",\"thread_id\":\"t-1\"}\n{\"type\":\"turn.started\"}\n"
                + "{\"type\":\"error\",\"message\":\"unexpected status 401 Unauthorized: Incorrect API key provided\"}\n"
                + "{\"type\":\"turn.failed\",\"error\":{\"message\":\"unexpected status 401 Unauthorized: "
                + "Incorrect API key provided\"}}\n").exitCode(1);
    }
}
