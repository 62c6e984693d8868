package io.llmservice.core.internal.config;

import io.llmservice.config.AgentDefinition;
import io.llmservice.config.BudgetDefinition;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.SessionSpec;
import io.llmservice.config.ModelDefinition;
import io.llmservice.config.ModelUsageSpec;
import io.llmservice.config.OutputSpec;
import io.llmservice.config.Policies;
import io.llmservice.config.Pricing;
import io.llmservice.config.RateLimitDefinition;
import io.llmservice.config.RouteTarget;
import io.llmservice.config.RoutingPolicy;
import io.llmservice.config.Scope;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.config.ToolDefinition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the public, immutable {@link LlmConfig} from a binding that passed every check, so
 * every required value is present and every compact constructor's check holds.
 */
final class ConfigAssembler {
    private ConfigAssembler() {
    }

    /** {@code args_prepend}, {@code args}, {@code args_append}: one argv, as the adapter runs it. */
    private static List<String> argv(ConfigBinding.Tool t) {
        List<String> argv = new ArrayList<>(t.argsPrepend());
        argv.addAll(t.args());
        argv.addAll(t.argsAppend());
        return argv;
    }

    static LlmConfig assemble(ConfigBinding b, List<String> sources) {
        Map<String, ModelDefinition> models = new LinkedHashMap<>();
        b.models().forEach((id, m) -> models.put(id, new ModelDefinition(id, m.provider(), m.tier(),
                m.contextWindow(), new Pricing(m.pricing().input(), m.pricing().output(), m.pricing().cacheRead(),
                m.pricing().cacheWrite()), Optional.ofNullable(m.pricesAsOf()))));
        Map<String, ToolDefinition> tools = new LinkedHashMap<>();
        b.tools().forEach((name, t) -> tools.put(name, ToolDefinition.builder().name(name).type(t.type())
                .binary(t.binary() == null ? "" : t.binary()).binaryByOs(t.binaryByOs()).args(argv(t))
                .prompt(t.prompt()).env(t.env()).models(t.models())
                .output(OutputSpec.builder().format(t.output().format()).paths(t.output().paths())
                        .inputIncludesCacheRead(t.output().inputIncludesCacheRead())
                        .modelUsage(Optional.ofNullable(t.output().modelUsage())
                                .map(u -> new ModelUsageSpec(u.path(), u.fields())))
                        .build())
                .timeout(t.timeout()).retriableWhen(t.retriableWhen()).versionArgs(t.versionArgs())
                .maxOutputBytes(t.maxOutputBytes()).options(t.options())
                .leaveDescendants(Boolean.TRUE.equals(t.leaveDescendants()))
                .errors(t.errors()).settingsFile(t.settingsFile()).scratchDir(t.scratchDir())
                .session(Optional.ofNullable(t.session()).map(s -> SessionSpec.builder().ephemeral(s.ephemeral())
                        .start(s.start()).resume(s.resume()).id(s.id()).build()))
                .build()));
        Map<String, AgentDefinition> agents = new LinkedHashMap<>();
        b.agents().forEach((name, a) -> agents.put(name, new AgentDefinition(name, Optional.ofNullable(a.team()),
                a.tool(), a.model(), a.fallbacks().stream().map(f -> new RouteTarget(f.tool(), f.model())).toList(),
                a.tools())));
        return new LlmConfig(models, tools, agents, policies(b.policies()), sources);
    }

    private static Policies policies(ConfigBinding.Policies p) {
        ConfigBinding.Routing r = p.routing();
        RoutingPolicy routing = new RoutingPolicy(r.strategy(), r.smallPromptTokens(), r.complexityTiers());
        List<BudgetDefinition> budgets = new ArrayList<>();
        for (ConfigBinding.Budget bu : p.budgets()) {
            budgets.add(new BudgetDefinition(bu.name(), bu.type(), new Scope(bu.scope()), bu.period(),
                    bu.limit().usd(), bu.limit().type(), bu.warnAt(), bu.onExceed(), Optional.ofNullable(bu.reserveUsd())));
        }
        List<RateLimitDefinition> rateLimits = new ArrayList<>();
        for (ConfigBinding.RateLimit rl : p.rateLimits()) {
            rateLimits.add(new RateLimitDefinition(new Scope(rl.scope()),
                    rl.requestsPerMinute() == null ? 0 : rl.requestsPerMinute(),
                    rl.tokensPerMinute() == null ? 0 : rl.tokensPerMinute(), rl.onLimit(), rl.maxWait()));
        }
        ConfigBinding.Telemetry t = p.telemetry();
        return Policies.builder().routing(routing).budgets(budgets).rateLimits(rateLimits)
                .telemetry(telemetry(t)).timezone(p.timezone())
                .defaultAgent(Optional.ofNullable(p.defaultAgent())).maxReservationUsd(p.maxReservationUsd())
                .cooldown(p.cooldown()).build();
    }

    private static TelemetrySettings telemetry(ConfigBinding.Telemetry t) {
        TelemetrySettings.Builder b = TelemetrySettings.builder().store(t.store()).path(t.path()).privacy(t.privacy())
                .poolSize(Math.toIntExact(t.poolSize())).connectTimeout(t.connectTimeout()).whenDown(t.whenDown());
        if (t.url() != null) {
            b.url(t.url());
        }
        if (t.user() != null) {
            b.user(t.user());
        }
        if (t.password() != null) {
            b.password(t.password());
        }
        return b.build();
    }
}
