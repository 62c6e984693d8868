package io.llmservice.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded, validated configuration: the model catalogue, tools, agents and policies, with
 * built-in definitions merged in. Immutable; every cross-reference has been checked (an agent's
 * tool exists and supports its model, fallbacks do not loop, ...).
 *
 * <pre>{@code
 * LlmConfig config = llm.config();
 * config.agent("code-reviewer").map(AgentDefinition::model).ifPresent(System.out::println);
 * }</pre>
 *
 * @param models  by catalogue id, in definition order
 * @param tools   by tool name, in definition order
 * @param agents  by agent name, in definition order
 * @param policies the policies section, with defaults filled in
 * @param sources the files (or names) the configuration was read from
 */
public record LlmConfig(Map<String, ModelDefinition> models, Map<String, ToolDefinition> tools,
                        Map<String, AgentDefinition> agents, Policies policies, List<String> sources) {
    public LlmConfig {
        models = OrderedMaps.orderedCopy(models);
        tools = OrderedMaps.orderedCopy(tools);
        agents = OrderedMaps.orderedCopy(agents);
        Objects.requireNonNull(policies, "policies");
        sources = List.copyOf(sources);
    }

    public Optional<ModelDefinition> model(String id) {
        return Optional.ofNullable(models.get(id));
    }

    public Optional<ToolDefinition> tool(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    public Optional<AgentDefinition> agent(String name) {
        return Optional.ofNullable(agents.get(name));
    }
}
