package io.llmservice.core.internal.config;

import io.llmservice.ConfigException;
import io.llmservice.ConfigSource;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

class SmokeTest {
    @Test
    void smoke() {
        ConfigLoader loader = new ConfigLoader(new KnownTypes(Set.of("cli"), Set.of("preference", "cost-optimized"), Set.of("limit"), Set.of("memory")));
        try {
            System.out.println(loader.builtIn());
        } catch (ConfigException e) {
            System.out.println(e.getMessage());
        }
        String[] bad = {
            "tools:\n  x:\n\tbinary: a\n",
            "tools:\n  x:\n    binary: \"a\n",
            "models: [a]\n",
            "- a\n",
            "agent: {}\n",
            "tools:\n  x:\n    binray: a\n    binary: b\n    models: {gpt-5: g}\n    args: ['{modle}', '{prompt}']\n    timeout: -5s\n    output: {format: json, text: '$.[', input_tokens: ['$.a', '$[?(@.x']}\n",
            "models:\n  m:\n    provider: p\n    tier: standard\n    context_window: lots\n    pricing: {input: 0, output: -1, cache_read: 0, cache_write: 0}\n",
            "agents:\n  a:\n    tool: claude-cod\n    model: gpt-5\n  b:\n    tool: codex\n    model: claude-sonnet-4-5\n    fallbacks: [{tool: codex, model: gpt-5}, {tool: codex, model: gpt-5}, {tool: nope, model: gpt-5}]\n",
            "policies:\n  budgets:\n    - name: b\n      scope: {team: x, agent: y, model: z}\n      period: daily\n      limit: {usd: 0, type: medium}\n      warn_at: 1.5\n  rate_limits:\n    - scope: {}\n      requests_per_minute: 0\n",
            "tools:\n  x:\n    binary: ${BIN}\n    env: {A: '${BIN}', B: '${OTHER:-d}'}\n",
            "a: b\na: c\n",
            "a: &a [1,2]\nb: [*a,*a,*a]\n",
        };
        for (String y : bad) {
            try {
                loader.load(ConfigSource.text("llm.yaml", y), Map.of());
                System.out.println("LOADED OK ?!");
            } catch (ConfigException e) {
                System.out.println(e.getMessage());
            }
        }
    }
}
