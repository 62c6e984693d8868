package io.llmservice.core.internal.routing;

import io.llmservice.Candidate;
import io.llmservice.Candidate.Status;
import io.llmservice.ErrorCode;
import io.llmservice.LlmRequest;
import io.llmservice.LlmServiceException;
import io.llmservice.RoutePlan;
import io.llmservice.Session;
import io.llmservice.config.AgentDefinition;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.RouteTarget;
import io.llmservice.config.SessionSpec;
import io.llmservice.config.Tier;
import io.llmservice.config.ToolDefinition;
import io.llmservice.core.internal.TestConfigs;
import io.llmservice.spi.Availability;
import io.llmservice.spi.RoutingContext;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

class SessionPinningTest {
    private static final SessionSpec SESSION = SessionSpec.builder().resume(List.of("--resume", "{session}"))
            .id(List.of("$.session_id")).build();

    private final LlmConfig config = TestConfigs.create()
            .model("sonnet", Tier.STANDARD, 200_000, "3", "15")
            .model("codex", Tier.STANDARD, 400_000, "1.25", "10")
            .model("codex-mini", Tier.ECONOMY, 400_000, "0.25", "2")
            .model("tiny", Tier.ECONOMY, 1_000, "0.1", "0.1")
            .tool(ToolDefinition.builder().name("claude").binary("claude").model("sonnet", "sonnet").session(SESSION)
                    .build())
            .tool(ToolDefinition.builder().name("codex-cli").binary("codex").model("codex", "codex")
                    .model("codex-mini", "codex-mini").model("tiny", "tiny").session(SESSION).build())
            .tool(ToolDefinition.builder().name("plain").binary("plain").model("sonnet", "sonnet").build())
            .agent("reviewer", "platform", "claude", "sonnet", new RouteTarget("plain", "sonnet"))
            .build();
    private final AgentDefinition agent = config.agent("reviewer").orElseThrow();
    private final Set<String> missing = new HashSet<>();
    private long promptTokens = 10;

    private static RoutePlan plan(Candidate... candidates) {
        return new RoutePlan("reviewer", "preference", 10, List.of(candidates));
    }

    private RoutePlan pin(RoutePlan plan, LlmRequest.Builder request) {
        LlmRequest built = request.agent("reviewer").build();
        return SessionPinning.pin(plan, new RoutingContext() {
            public LlmRequest request() {
                return built;
            }

            public AgentDefinition agent() {
                return agent;
            }

            public LlmConfig config() {
                return config;
            }

            public long estimatedPromptTokens() {
                return promptTokens;
            }

            public Availability availability(String tool) {
                return missing.contains(tool) ? Availability.missing("'" + tool + "' not found on PATH")
                        : Availability.available("test");
            }
        });
    }

    private static final RoutePlan CLAUDE_THEN_PLAIN_THEN_CODEX = plan(
            new Candidate("claude", "sonnet", Status.CHOSEN, "agent's preferred tool and model"),
            new Candidate("plain", "sonnet", Status.FALLBACK, "agent's fallback #1"),
            new Candidate("codex-cli", "codex", Status.FALLBACK, "agent's fallback #2"));

    @Test
    void noSession_planUntouched() {
        assertThat(pin(CLAUDE_THEN_PLAIN_THEN_CODEX, LlmRequest.builder("x"))).isSameAs(CLAUDE_THEN_PLAIN_THEN_CODEX);
    }

    @Test
    void newSession_toolWithoutSessionBlock_excludedWithTheReason() {
        RoutePlan pinned = pin(CLAUDE_THEN_PLAIN_THEN_CODEX, LlmRequest.builder("x").newSession());

        assertThat(pinned.candidates()).extracting(Candidate::tool, Candidate::status, Candidate::reason)
                .containsExactly(
                tuple("claude", Status.CHOSEN, "agent's preferred tool and model"),
                tuple("codex-cli", Status.FALLBACK, "agent's fallback #2"),
                tuple("plain", Status.EXCLUDED, "cannot keep or continue a session: the tool has no session: in its"
                        + " definition"));
    }

    @Test
    void session_runsOnItsOwnToolFirst_othersStartANewOne() {
        RoutePlan pinned = pin(CLAUDE_THEN_PLAIN_THEN_CODEX, LlmRequest.builder("x")
                .session(new Session("codex-cli", "t-1")));

        assertThat(pinned.candidates()).extracting(Candidate::tool, Candidate::model, Candidate::status,
                Candidate::reason).containsExactly(
                tuple("codex-cli", "codex", Status.CHOSEN, "continues session codex-cli:t-1 (agent's fallback #2)"),
                tuple("claude", "sonnet", Status.FALLBACK, "agent's preferred tool and model; starts a new session"
                        + " (codex-cli:t-1 belongs to codex-cli)"),
                tuple("plain", "sonnet", Status.EXCLUDED, SessionPinning.NO_SESSION));
    }

    @Test
    void session_ofAToolTheStrategyDidNotOffer_isAddedFirst_withAModelItRuns() {
        RoutePlan claudeOnly = plan(new Candidate("claude", "sonnet", Status.CHOSEN,
                "agent's preferred tool and model"));

        RoutePlan pinned = pin(claudeOnly, LlmRequest.builder("x").model("codex")
                .session(new Session("codex-cli", "t-1")));

        assertThat(pinned.candidates()).extracting(Candidate::tool, Candidate::model, Candidate::status)
                .containsExactly(tuple("codex-cli", "codex", Status.CHOSEN),
                        tuple("claude", "sonnet", Status.FALLBACK));
        assertThat(pinned.candidates().get(0).reason()).isEqualTo("continues session codex-cli:t-1");
    }

    @Test
    void session_ownerExcludedByTheStrategy_staysExcluded_theOthersStartNewSessions() {
        RoutePlan ownerMissing = plan(
                new Candidate("claude", "sonnet", Status.CHOSEN, "agent's preferred tool and model"),
                new Candidate("codex-cli", "codex", Status.EXCLUDED, "not installed: 'codex' not found"));

        RoutePlan pinned = pin(ownerMissing, LlmRequest.builder("x").session(new Session("codex-cli", "t-1")));

        assertThat(pinned.candidates()).extracting(Candidate::tool, Candidate::status).containsExactly(
                tuple("claude", Status.CHOSEN), tuple("codex-cli", Status.EXCLUDED));
        assertThat(pinned.candidates().get(0).reason())
                .endsWith("starts a new session (codex-cli:t-1 belongs to codex-cli)");
    }

    @Test
    void session_everyCandidateOfItsTool_continuesIt_beforeTheOtherTools() {
        RoutePlan twoCodexModels = plan(
                new Candidate("claude", "sonnet", Status.CHOSEN, "agent's preferred tool and model"),
                new Candidate("codex-cli", "codex", Status.FALLBACK, "agent's fallback #1"),
                new Candidate("plain", "sonnet", Status.FALLBACK, "agent's fallback #2"),
                new Candidate("codex-cli", "codex-mini", Status.FALLBACK, "agent's fallback #3"));

        RoutePlan pinned = pin(twoCodexModels, LlmRequest.builder("x").session(new Session("codex-cli", "t-1")));

        assertThat(pinned.candidates()).extracting(Candidate::tool, Candidate::model, Candidate::status,
                Candidate::reason).containsExactly(
                tuple("codex-cli", "codex", Status.CHOSEN, "continues session codex-cli:t-1 (agent's fallback #1)"),
                tuple("codex-cli", "codex-mini", Status.FALLBACK,
                        "continues session codex-cli:t-1 (agent's fallback #3)"),
                tuple("claude", "sonnet", Status.FALLBACK, "agent's preferred tool and model; starts a new session"
                        + " (codex-cli:t-1 belongs to codex-cli)"),
                tuple("plain", "sonnet", Status.EXCLUDED, SessionPinning.NO_SESSION));
    }

    @Test
    void session_added_takesTheRequestedModel_whenItsToolRunsIt() {
        RoutePlan claudeOnly = plan(new Candidate("claude", "sonnet", Status.CHOSEN, "requested explicitly"));

        RoutePlan pinned = pin(claudeOnly, LlmRequest.builder("x").model("codex-mini")
                .session(new Session("codex-cli", "t-1")));

        assertThat(pinned.candidates().get(0)).extracting(Candidate::tool, Candidate::model, Candidate::status)
                .containsExactly("codex-cli", "codex-mini", Status.CHOSEN);
    }

    @Test
    void session_added_requestedModelItsToolDoesNotRun_isAnInvalidRequest_notReplaced() {
        RoutePlan claudeOnly = plan(new Candidate("claude", "sonnet", Status.CHOSEN, "requested explicitly"));

        assertThatThrownBy(() -> pin(claudeOnly, LlmRequest.builder("x").model("sonnet")
                .session(new Session("codex-cli", "t-1"))))
                .isInstanceOfSatisfying(LlmServiceException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .hasMessage("session codex-cli:t-1 runs on tool 'codex-cli', which does not support the requested"
                        + " model 'sonnet' (it supports: codex, codex-mini, tiny); pass one of its models with"
                        + " .model(..) / --model, or start a new session with .newSession()");
    }

    @Test
    void session_added_agentModelItsToolDoesNotRun_asksForAModel_insteadOfPickingOne() {
        RoutePlan claudeOnly = plan(new Candidate("claude", "sonnet", Status.CHOSEN,
                "agent's preferred tool and model"));

        // The agent's model is sonnet, which codex-cli does not run: no model of codex-cli is picked at random.
        assertThatThrownBy(() -> pin(claudeOnly, LlmRequest.builder("x").session(new Session("codex-cli", "t-1"))))
                .isInstanceOfSatisfying(LlmServiceException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .hasMessage("session codex-cli:t-1 runs on tool 'codex-cli', which does not support agent"
                        + " 'reviewer''s model 'sonnet' (it supports: codex, codex-mini, tiny); choose one with"
                        + " .model(..) / --model");
    }

    @Test
    void session_added_toolNotInstalled_isExcludedWithTheReason_theOthersStartNewSessions() {
        missing.add("codex-cli");
        RoutePlan claudeOnly = plan(new Candidate("claude", "sonnet", Status.CHOSEN, "requested explicitly"));

        RoutePlan pinned = pin(claudeOnly, LlmRequest.builder("x").model("codex")
                .session(new Session("codex-cli", "t-1")));

        assertThat(pinned.candidates()).extracting(Candidate::tool, Candidate::status, Candidate::reason)
                .containsExactly(
                tuple("claude", Status.CHOSEN, "requested explicitly; starts a new session (codex-cli:t-1 belongs to"
                        + " codex-cli)"),
                tuple("codex-cli", Status.EXCLUDED, "not installed: 'codex-cli' not found on PATH"));
    }

    @Test
    void session_added_contextWindowTooSmall_isExcludedWithTheReason() {
        promptTokens = 5_000;
        RoutePlan claudeOnly = plan(new Candidate("claude", "sonnet", Status.CHOSEN, "requested explicitly"));

        RoutePlan pinned = pin(claudeOnly, LlmRequest.builder("x").model("tiny")
                .session(new Session("codex-cli", "t-1")));

        assertThat(pinned.candidates()).extracting(Candidate::tool, Candidate::model, Candidate::status,
                Candidate::reason).containsExactly(
                tuple("claude", "sonnet", Status.CHOSEN, "requested explicitly; starts a new session (codex-cli:t-1"
                        + " belongs to codex-cli)"),
                tuple("codex-cli", "tiny", Status.EXCLUDED,
                        "context too small: ~5000 prompt tokens > context window 1000"));
    }
}
