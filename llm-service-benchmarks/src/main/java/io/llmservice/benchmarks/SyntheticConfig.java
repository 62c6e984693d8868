package io.llmservice.benchmarks;

import java.util.Locale;

/**
 * Generates the YAML of a large configuration: {@code agents} agents over {@code tools} tools and
 * {@code models} models, every tool supporting a few models of every tier, every agent with a
 * fallback, so routing has realistic work to do.
 */
final class SyntheticConfig {
    private SyntheticConfig() {
    }

    static String yaml(int agents, int tools, int models, String toolType, String strategy) {
        StringBuilder y = new StringBuilder(64 * 1024);
        String[] tiers = {"economy", "standard", "premium"};
        y.append("models:\n");
        for (int m = 0; m < models; m++) {
            y.append("  model-").append(m).append(":\n")
                    .append("    provider: vendor-").append(m % 4).append('\n')
                    .append("    tier: ").append(tiers[m % 3]).append('\n')
                    .append("    context_window: ").append(100_000 + 10_000 * m).append('\n')
                    .append(String.format(Locale.ROOT,
                            "    pricing: {input: %.2f, output: %.2f, cache_read: %.3f, cache_write: %.2f}%n",
                            0.25 + m * 0.1, 2 + m * 0.5, 0.025 + m * 0.01, 0.3 + m * 0.1));
        }
        y.append("tools:\n");
        for (int t = 0; t < tools; t++) {
            y.append("  tool-").append(t).append(":\n")
                    .append("    type: ").append(toolType).append('\n')
                    .append("    binary: tool-").append(t).append('\n')
                    .append("    models:\n");
            for (int k = 0; k < 6; k++) {
                int m = (t * 2 + k) % models;
                y.append("      model-").append(m).append(": alias-").append(m).append('\n');
            }
        }
        y.append("agents:\n");
        for (int a = 0; a < agents; a++) {
            int t = a % tools;
            int fb = (t + 1) % tools;
            y.append("  agent-").append(a).append(":\n")
                    .append("    team: team-").append(a % 5).append('\n')
                    .append("    tool: tool-").append(t).append('\n')
                    .append("    model: model-").append((t * 2 + 1) % models).append('\n')
                    .append("    fallbacks: [{tool: tool-").append(fb).append(", model: model-")
                    .append((fb * 2 + 2) % models).append("}]\n");
        }
        y.append("policies:\n")
                .append("  routing: {strategy: ").append(strategy).append(", small_prompt_tokens: 2000}\n")
                .append("  telemetry: {store: memory}\n");
        return y.toString();
    }
}
