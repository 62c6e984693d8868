package io.llmservice.core.internal;

import io.llmservice.ErrorCode;
import io.llmservice.LlmRequest;
import io.llmservice.LlmServiceException;
import io.llmservice.config.AgentDefinition;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.ToolDefinition;
import io.llmservice.core.internal.config.Suggestions;

import java.util.List;
import java.util.Optional;

/**
 * Finds the agent a request runs for and checks its tool/model overrides against the
 * configuration, so a bad request fails in {@code route()} with a clear message and nothing runs.
 */
public final class RequestResolver {
    /** The agent name used for requests that force a tool and model and name no agent. */
    public static final String AD_HOC_AGENT = "(ad hoc)";

    private final LlmConfig config;

    public RequestResolver(LlmConfig config) {
        this.config = config;
    }

    public AgentDefinition agentFor(LlmRequest request) {
        checkSession(request);
        AgentDefinition agent = resolveAgent(request);
        checkOverrides(request, agent);
        return agent;
    }

    /** A continued session names a configured tool that can continue it. */
    private void checkSession(LlmRequest request) {
        if (request.session().isEmpty()) {
            return;
        }
        String toolName = request.session().get().tool();
        ToolDefinition tool = config.tool(toolName).orElseThrow(() -> invalid("session " + request.session().get()
                + " names tool '" + toolName + "', which is not configured; configured tools: "
                + String.join(", ", config.tools().keySet()) + Suggestions.didYouMean(toolName, config.tools().keySet())
                + "; start a new session with .newSession()"));
        if (tool.session().isEmpty()) {
            throw invalid("session " + request.session().get() + " cannot be continued: tool '" + toolName
                    + "' has no session: in its definition; add one (see docs/configuration.md) or start a new"
                    + " session with .newSession()");
        }
    }

    private AgentDefinition resolveAgent(LlmRequest request) {
        if (request.agent().isPresent()) {
            String name = request.agent().get();
            return config.agent(name).orElseThrow(() -> invalid("unknown agent '" + name + "'; configured agents: "
                    + String.join(", ", config.agents().keySet())
                    + Suggestions.didYouMean(name, config.agents().keySet())));
        }
        Optional<String> defaultAgent = config.policies().defaultAgent();
        if (defaultAgent.isPresent()) {
            return config.agents().get(defaultAgent.get());
        }
        if (config.agents().size() == 1) {
            return config.agents().values().iterator().next();
        }
        Optional<String> tool = request.tool().or(() -> request.session().map(s -> s.tool()));
        if (tool.isPresent() && request.model().isPresent()) {
            return new AgentDefinition(AD_HOC_AGENT, Optional.empty(), tool.get(), request.model().get(),
                    List.of(), List.of());
        }
        throw invalid("the request names no agent and policies.default_agent is not set; call .agent(name) on the"
                + " request builder, or force both .tool(..) and .model(..)");
    }

    private void checkOverrides(LlmRequest request, AgentDefinition agent) {
        Optional<String> toolName = request.tool();
        Optional<String> model = request.model();
        if (toolName.isPresent()) {
            ToolDefinition tool = config.tool(toolName.get()).orElseThrow(() -> invalid("unknown tool '"
                    + toolName.get() + "'; configured tools: " + String.join(", ", config.tools().keySet())
                    + Suggestions.didYouMean(toolName.get(), config.tools().keySet())));
            String wanted = model.orElse(agent.model());
            if (model.isPresent()) {
                requireModel(model.get());
            }
            if (!tool.supports(wanted)) {
                throw invalid("tool '" + tool.name() + "' does not support model '" + wanted + "' (it supports: "
                        + String.join(", ", tool.models().keySet()) + ")"
                        + (model.isEmpty() ? "; pass a model the tool supports" : ""));
            }
        } else if (model.isPresent()) {
            requireModel(model.get());
            boolean any = agent.allTools().stream()
                    .anyMatch(t -> config.tool(t).map(d -> d.supports(model.get())).orElse(false));
            if (!any) {
                throw invalid("none of agent '" + agent.name() + "''s tools (" + String.join(", ", agent.allTools())
                        + ") supports model '" + model.get() + "'");
            }
        }
    }

    private void requireModel(String model) {
        if (config.model(model).isEmpty()) {
            throw invalid("unknown model '" + model + "'; configured models: "
                    + String.join(", ", config.models().keySet()));
        }
    }

    private static LlmServiceException invalid(String message) {
        return new LlmServiceException(ErrorCode.INVALID_REQUEST, message);
    }
}
