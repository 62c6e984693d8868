package io.llmservice.core.internal.adapter;

import io.llmservice.testkit.FakeCli;

import static io.llmservice.core.internal.adapter.BuiltinTools.fixture;

/** The built-in gemini-cli definition keeps the adapter contract, on Gemini CLI's outputs. */
class GeminiCliContractIT extends BuiltinToolContract {

    @Override
    String toolName() {
        return "gemini-cli";
    }

    @Override
    String binaryName() {
        return "gemini";
    }

    @Override
    String answer() {
        return fixture("gemini-cli-0.61.0-success.json");
    }

    @Override
    FakeCli.Builder failingRetriably(FakeCli.Builder fake) {
        return fake.stdout("{\"error\":{\"type\":\"Error\",\"message\":\"[API Error: got status: 429 Too Many Requests."
                + " Resource exhausted. Please try again later.]\",\"code\":1}}").exitCode(1);
    }

    @Override
    FakeCli.Builder failingPermanently(FakeCli.Builder fake) {
        // Exit 41: gemini's "no or bad credentials" status.
        return fake.stderr("Please set an Auth method in your settings.json or specify one of the following "
                + "environment variables before running: GEMINI_API_KEY, GOOGLE_GENAI_USE_VERTEXAI\n").exitCode(41);
    }
}
