package io.llmservice.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The commented starter {@code llm-service.yaml} that {@code config init} writes: an agent per
 * installed tool (claude, codex, gemini) whose fallbacks are the other installed tools; when none
 * is installed, one agent over all three and a comment saying so. It relies on the built-in
 * catalogue, so it defines no tools or models of its own. Pure text generation.
 */
final class StarterConfig {

    /** One of the three tools of the built-in catalogue, and the standard-tier model an agent starts on. */
    record KnownTool(String binary, String tool, String model, String agent) {
        KnownTool {
            Objects.requireNonNull(binary, "binary");
            Objects.requireNonNull(tool, "tool");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(agent, "agent");
        }
    }

    static final List<KnownTool> KNOWN = List.of(
            new KnownTool("claude", "claude-code", "claude-sonnet-4-5", "claude"),
            new KnownTool("codex", "codex", "gpt-5-codex", "codex"),
            new KnownTool("gemini", "gemini-cli", "gemini-2.5-flash", "gemini"));

    private StarterConfig() {
    }

    /**
     * The file's text.
     *
     * @param found for each of {@link #KNOWN} that is installed, where (insertion order = {@link #KNOWN} order)
     */
    static String render(Map<KnownTool, Path> found) {
        List<KnownTool> installed = KNOWN.stream().filter(found::containsKey).toList();
        StringBuilder y = new StringBuilder();
        y.append("""
                # llm-service configuration, written by `llm-service config init`.
                # Reference of every key: docs/configuration.md. Check it with `llm-service config validate`.
                #
                # The built-in catalogue already defines the tools claude-code (binary `claude`), codex
                # (`codex`) and gemini-cli (`gemini`) and their current models with list prices, so this file
                # only names agents. To change a built-in tool, write e.g.
                #   tools:
                #     claude-code: {extends: claude-code, binary: /opt/claude/bin/claude, timeout: 15m}
                """);
        y.append("#\n");
        for (KnownTool t : KNOWN) {
            Path at = found.get(t);
            y.append("# ").append(t.binary()).append(": ")
                    .append(at != null ? "found at " + at : "not found on PATH").append('\n');
        }
        y.append('\n');
        y.append("agents:\n");
        if (installed.isEmpty()) {
            y.append("""
                      # None of claude, codex or gemini was found on PATH when this file was written.
                      # Install one (or point tools.<name>.binary at it); this agent then uses the
                      # first that is installed, in the order below.
                      assistant:
                        tool: claude-code
                        model: claude-sonnet-4-5
                        fallbacks:
                          - {tool: codex, model: gpt-5-codex}
                          - {tool: gemini-cli, model: gemini-2.5-flash}
                    """);
        } else {
            y.append("  # One agent per installed tool; each falls back to the other installed tools\n");
            y.append("  # when its own fails retriably (not installed, timeout, overloaded, rate limited).\n");
            for (KnownTool t : installed) {
                y.append("  ").append(t.agent()).append(":\n");
                y.append("    # team: platform          # bills the agent to a team (budgets, stats --by team)\n");
                y.append("    tool: ").append(t.tool()).append('\n');
                y.append("    model: ").append(t.model()).append('\n');
                List<KnownTool> others = new ArrayList<>(installed);
                others.remove(t);
                if (others.isEmpty()) {
                    y.append("    fallbacks: []\n");
                } else {
                    y.append("    fallbacks:\n");
                    for (KnownTool o : others) {
                        y.append("      - {tool: ").append(o.tool()).append(", model: ").append(o.model()).append("}\n");
                    }
                }
            }
        }
        String defaultAgent = installed.isEmpty() ? "assistant" : installed.get(0).agent();
        y.append("""

                policies:
                  # The agent used when a request names none (llm-service exec "..." without --agent).
                  default_agent: %s
                  routing:
                    # preference: the agent's tool/model, then its fallbacks in order.
                    # cost-optimized: the cheapest compatible model of the tier the prompt needs.
                    strategy: preference
                  # A hard budget refuses requests once spent; a soft one warns. Uncomment to use:
                  # budgets:
                  #   - name: daily
                  #     scope: {}              # {} = everything; or {agent: x}, {team: y}, {model: z}
                  #     period: daily          # daily | weekly | monthly, in the timezone below
                  #     limit: {usd: 10.00, type: hard}
                  #     warn_at: 0.8
                  # rate_limits:
                  #   - scope: {}
                  #     requests_per_minute: 30
                  # Where invocations are recorded for `llm-service stats`. The default is the h2 store, shared by
                  # every process on this machine; `store: memory` would keep them for one process only.
                  # telemetry: {store: h2, privacy: metadata}   # path: default in your data directory (docs/configuration.md)
                  timezone: UTC
                """.formatted(defaultAgent));
        return y.toString();
    }
}
