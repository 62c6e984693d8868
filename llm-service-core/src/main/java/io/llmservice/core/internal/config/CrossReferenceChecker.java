package io.llmservice.core.internal.config;

import io.llmservice.config.ScopeKind;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the relations between entries, each problem at the offending value: agents name
 * existing tools and models their tools support, tools list defined models, fallback chains
 * do not loop, scopes name existing agents, teams, models and tools, budget names are unique,
 * and every {@code type:}-like name has a provider. Runs on a binding that may contain
 * {@code null}s where values were unusable; those are skipped.
 */
final class CrossReferenceChecker {
    private final ConfigBinding config;
    private final KnownTypes types;
    private final NodeReader reader;
    private final Problems problems;

    CrossReferenceChecker(ConfigBinding config, KnownTypes types, NodeReader reader, Problems problems) {
        this.config = config;
        this.types = types;
        this.reader = reader;
        this.problems = problems;
    }

    void check() {
        config.tools().forEach((name, tool) -> {
            if (tool != null) {
                new ToolChecker(types, reader, problems).check(name, tool);
                checkToolModels(name, tool);
            }
        });
        config.agents().forEach((name, agent) -> {
            if (agent != null) {
                checkAgent(name, agent);
            }
        });
        if (config.policies() != null) {
            checkPolicies(config.policies());
        }
    }

    private void checkToolModels(String name, ConfigBinding.Tool tool) {
        if (tool.models() == null) {
            return;
        }
        for (String modelId : tool.models().keySet()) {
            if (!config.models().containsKey(modelId)) {
                String path = "tools." + name + ".models." + modelId;
                String hint = Suggestions.didYouMean(modelId, config.models().keySet());
                reportAtKey(path, "model '" + modelId + "' is not defined in models"
                        + (hint.isEmpty() ? "; define it under models: or remove it from this tool" : hint));
            }
        }
    }

    // ---- agents -----------------------------------------------------------------------

    private void checkAgent(String name, ConfigBinding.Agent agent) {
        String path = "agents." + name;
        boolean pairKnown = checkPair(path + ".tool", agent.tool(), path + ".model", agent.model());
        List<ConfigBinding.Target> seen = new ArrayList<>();
        for (int i = 0; i < agent.fallbacks().size(); i++) {
            ConfigBinding.Target target = agent.fallbacks().get(i);
            String fallbackPath = path + ".fallbacks[" + i + "]";
            if (target == null || target.tool() == null || target.model() == null) {
                continue;
            }
            checkPair(fallbackPath + ".tool", target.tool(), fallbackPath + ".model", target.model());
            if (pairKnown && target.tool().equals(agent.tool()) && target.model().equals(agent.model())) {
                report(fallbackPath, "fallback " + target.tool() + "/" + target.model() + " repeats the agent's own"
                        + " tool and model; a fallback chain must not loop: remove it");
            } else {
                int earlier = seen.indexOf(target);
                if (earlier >= 0) {
                    report(fallbackPath, "fallback " + target.tool() + "/" + target.model() + " repeats fallbacks["
                            + earlier + "]; a fallback chain must not loop: remove it");
                }
            }
            seen.add(target);
        }
        for (int i = 0; i < agent.tools().size(); i++) {
            String tool = agent.tools().get(i);
            if (tool != null && !config.tools().containsKey(tool)) {
                report(path + ".tools[" + i + "]", unknownTool(tool));
            }
        }
    }

    /** Checks that the tool and model exist and the tool supports the model; true when all holds. */
    private boolean checkPair(String toolPath, String tool, String modelPath, String model) {
        if (tool == null || model == null) {
            return false;
        }
        boolean ok = true;
        if (!config.tools().containsKey(tool)) {
            report(toolPath, unknownTool(tool));
            ok = false;
        }
        if (!config.models().containsKey(model)) {
            report(modelPath, unknown("model", model, config.models().keySet(),
                    "define it under models: or use one of: " + list(config.models().keySet())));
            return false;
        }
        if (!ok) {
            return false;
        }
        ConfigBinding.Tool definition = config.tools().get(tool);
        if (definition == null || definition.models() == null) {
            return false;
        }
        if (!definition.models().containsKey(model)) {
            report(modelPath, "tool '" + tool + "' does not support model '" + model + "' (it supports: "
                    + String.join(", ", definition.models().keySet()) + "); pick one of those or add the model to tools."
                    + tool + ".models");
            return false;
        }
        return true;
    }

    private String unknownTool(String tool) {
        return unknown("tool", tool, config.tools().keySet(),
                "define it under tools: or use one of: " + list(config.tools().keySet()));
    }

    // ---- policies ---------------------------------------------------------------------

    private void checkPolicies(ConfigBinding.Policies policies) {
        ConfigBinding.Routing routing = policies.routing();
        if (routing != null && routing.strategy() != null
                && !types.routingStrategies().contains(routing.strategy())) {
            report("policies.routing.strategy", unknownType("routing strategy", routing.strategy(),
                    types.routingStrategies()));
        }
        ConfigBinding.Telemetry telemetry = policies.telemetry();
        if (telemetry != null && telemetry.store() != null && !types.telemetryStores().contains(telemetry.store())) {
            report("policies.telemetry.store", unknownType("telemetry store", telemetry.store(),
                    types.telemetryStores()));
        }
        if (policies.defaultAgent() != null && !config.agents().containsKey(policies.defaultAgent())) {
            report("policies.default_agent", unknown("agent", policies.defaultAgent(), config.agents().keySet(),
                    "define it under agents: or name one of: " + list(config.agents().keySet())));
        }
        Map<String, String> budgetNames = new HashMap<>();
        for (int i = 0; i < policies.budgets().size(); i++) {
            ConfigBinding.Budget budget = policies.budgets().get(i);
            String path = "policies.budgets[" + i + "]";
            if (budget == null) {
                continue;
            }
            if (budget.name() != null) {
                String first = budgetNames.putIfAbsent(budget.name(), path);
                if (first != null) {
                    report(path + ".name", "duplicate budget name '" + budget.name() + "' (also " + first
                            + " at " + reader.nodeAt(first + ".name").map(YamlParser::position).orElse("?")
                            + "); give each budget its own name");
                }
            }
            if (budget.type() != null && !types.budgetTypes().contains(budget.type())) {
                report(path + ".type", unknownType("budget type", budget.type(), types.budgetTypes()));
            }
            checkScope(path + ".scope", budget.scope());
        }
        for (int i = 0; i < policies.rateLimits().size(); i++) {
            ConfigBinding.RateLimit limit = policies.rateLimits().get(i);
            String path = "policies.rate_limits[" + i + "]";
            if (limit == null) {
                continue;
            }
            checkScope(path + ".scope", limit.scope());
            if (limit.requestsPerMinute() == null && limit.tokensPerMinute() == null
                    && !problems.reportedAtOrAbove(path + ".requests_per_minute")
                    && !problems.reportedAtOrAbove(path + ".tokens_per_minute")) {
                report(path, "sets no limit; add requests_per_minute or tokens_per_minute (or both)");
            }
        }
    }

    static String unknownType(String what, String name, Set<String> known) {
        return unknown(what, name, known, known.isEmpty()
                ? "no provider of that kind is on the class path; add the module that provides it"
                : "known: " + ToolChecker.sorted(known) + " (each comes from a provider on the class path)");
    }

    /** "unknown x 'y'" and either a did-you-mean or what to do instead. */
    static String unknown(String what, String name, java.util.Collection<String> candidates, String otherwise) {
        String hint = Suggestions.didYouMean(name, candidates);
        return "unknown " + what + " '" + name + "'" + (hint.isEmpty() ? "; " + otherwise : hint);
    }

    private static String list(java.util.Collection<String> names) {
        return names.isEmpty() ? "(none defined)" : String.join(", ", names);
    }

    private void checkScope(String path, Map<ScopeKind, String> scope) {
        if (scope == null) {
            return;
        }
        for (Map.Entry<ScopeKind, String> e : scope.entrySet()) {
            String keyPath = path + "." + e.getKey().yamlName();
            String value = e.getValue();
            switch (e.getKey()) {
                case AGENT -> {
                    if (!config.agents().containsKey(value)) {
                        report(keyPath, unknown("agent", value, config.agents().keySet(),
                                "agents are: " + list(config.agents().keySet())));
                    }
                }
                case TEAM -> {
                    Set<String> teams = new LinkedHashSet<>();
                    config.agents().values().stream().filter(Objects::nonNull).map(ConfigBinding.Agent::team)
                            .filter(Objects::nonNull).forEach(teams::add);
                    if (!teams.contains(value)) {
                        String hint = Suggestions.didYouMean(value, teams);
                        report(keyPath, "no agent has team '" + value + "'"
                                + (hint.isEmpty() ? "; teams are: " + list(teams) : hint));
                    }
                }
                case MODEL -> {
                    if (!config.models().containsKey(value)) {
                        report(keyPath, unknown("model", value, config.models().keySet(),
                                "define it under models: or use a defined one"));
                    }
                }
                case TOOL -> {
                    if (!config.tools().containsKey(value)) {
                        report(keyPath, unknownTool(value));
                    }
                }
            }
        }
    }

    // ---- reporting --------------------------------------------------------------------

    private void report(String path, String message) {
        if (problems.reportedAtOrAbove(path)) {
            return;
        }
        Optional<Node> node = reader.nodeAt(path);
        if (node.isPresent()) {
            problems.at(node.get(), path, message);
        } else {
            problems.at(Optional.empty(), path, message);
        }
    }

    private void reportAtKey(String path, String message) {
        Optional<Node> node = reader.keyAt(path);
        if (node.isPresent()) {
            problems.at(node.get(), path, message);
        } else {
            problems.at(Optional.empty(), path, message);
        }
    }
}
