package io.llmservice.core.internal.adapter;

import io.llmservice.testkit.FakeCli;

import static io.llmservice.core.internal.adapter.BuiltinTools.fixture;

/** The built-in claude-code definition keeps the adapter contract, on Claude Code's captured outputs. */
class ClaudeCodeContractIT extends BuiltinToolContract {

    @Override
    String toolName() {
        return "claude-code";
    }

    @Override
    String binaryName() {
        return "claude";
    }

    @Override
    String answer() {
        return fixture("claude-2.1.197-success.json");
    }

    @Override
    FakeCli.Builder failingRetriably(FakeCli.Builder fake) {
        return fake.stdout(fixture("claude-2.1.197-error-429.json")).exitCode(1);
    }

    @Override
    FakeCli.Builder failingPermanently(FakeCli.Builder fake) {
        return fake.stdout(fixture("claude-2.1.197-error-401.json")).exitCode(1);
    }
}
