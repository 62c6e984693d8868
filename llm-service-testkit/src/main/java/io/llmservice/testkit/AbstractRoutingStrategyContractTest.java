package io.llmservice.testkit;

import io.llmservice.Candidate;
import io.llmservice.Complexity;
import io.llmservice.LlmRequest;
import io.llmservice.RoutePlan;
import io.llmservice.config.AgentDefinition;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.ModelDefinition;
import io.llmservice.config.RouteTarget;
import io.llmservice.config.ToolDefinition;
import io.llmservice.spi.Availability;
import io.llmservice.spi.RoutingContext;
import io.llmservice.spi.RoutingStrategy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * The contract every {@link RoutingStrategy} must keep, as JUnit 5 tests. Extend it and say how
 * to create the strategy and which configuration to route over:
 *
 * <pre>{@code
 * class CheapestFirstContractTest extends AbstractRoutingStrategyContractTest {
 *     protected RoutingStrategy createStrategy() { return new CheapestFirst(); }
 *     protected LlmConfig configuration()        { return MyConfigs.threeToolsFourAgents(); }
 * }
 * }</pre>
 *
 * <p>The tests route every agent of the configuration under many situations — each prompt size
 * (small, and just past the smallest context window), each complexity hint, with every tool
 * installed, with the agent's own tool missing and with nothing installed — and check each plan:
 * runnable candidates come first and only the first is chosen; no (tool, model) pair is listed
 * twice; every candidate gives a reason; a runnable candidate is a configured, compatible,
 * installed pair whose model's context window holds the prompt; the agent's preferred pair is
 * always listed, and when it cannot run its exclusion says why (the tool's availability detail,
 * or the context window). Also: with everything installed a small prompt has a chosen
 * candidate; a request forcing a tool and model runs only that pair; the plan is deterministic
 * (the same context gives an equal plan, from the same or a new instance); and one instance
 * routing from many threads at once gives each context the same plan as a single thread does.
 *
 * <p>The configuration should have several agents, with fallbacks on other tools and models of
 * different tiers, prices and context windows, so that the situations differ.
 *
 * <p>Not thread-safe; JUnit creates one instance per test method.
 */
public abstract class AbstractRoutingStrategyContractTest {

    /** A strategy as its provider would create it for {@link #configuration()}. */
    protected abstract RoutingStrategy createStrategy();

    /** The configuration the tests route over. */
    protected abstract LlmConfig configuration();

    /** One situation to route: an agent, a request for it, a prompt size and the tools that are not installed. */
    protected record Situation(AgentDefinition agent, LlmRequest request, long promptTokens, Set<String> missing) {
    }

    /** The availability detail of a tool the tests pretend is missing; a plan should pass it on. */
    protected static String missingDetail(String tool) {
        return "'" + tool + "' not found on PATH (contract test)";
    }

    @Test
    void everyPlan_isOrderedDistinctExplainedAndRunsOnlyWhatCanRun() {
        RoutingStrategy strategy = createStrategy();
        LlmConfig config = configuration();
        for (Situation s : situations()) {
            RoutePlan plan = strategy.plan(context(config, s));
            String where = s + " -> " + plan.candidates();
            List<Candidate> all = plan.candidates();

            assertThat(plan.agent()).as(where).isEqualTo(s.agent().name());
            assertThat(plan.estimatedTokens()).as(where).isEqualTo(s.promptTokens());
            int firstExcluded = all.size();
            for (int i = 0; i < all.size(); i++) {
                Candidate c = all.get(i);
                assertThat(c.reason()).as("reason of %s in %s", c, where).isNotBlank();
                if (c.status() == Candidate.Status.EXCLUDED) {
                    firstExcluded = Math.min(firstExcluded, i);
                } else {
                    assertThat(i).as("runnable %s after an excluded one in %s", c, where).isLessThan(firstExcluded);
                    assertThat(c.status()).as("status of %s in %s", c, where)
                            .isEqualTo(i == 0 ? Candidate.Status.CHOSEN : Candidate.Status.FALLBACK);
                    assertRunnable(config, s, c, where);
                }
            }
            Set<RouteTarget> pairs = new HashSet<>();
            for (Candidate c : all) {
                assertThat(pairs.add(new RouteTarget(c.tool(), c.model()))).as("%s listed twice in %s", c, where).isTrue();
            }
            assertPreferredAccountedFor(config, s, plan, where);
        }
    }

    @Test
    void everythingInstalled_smallPrompt_choosesACandidate() {
        RoutingStrategy strategy = createStrategy();
        LlmConfig config = configuration();
        for (AgentDefinition agent : config.agents().values()) {
            Situation s = new Situation(agent, request(agent, null), 100, Set.of());
            assertThat(strategy.plan(context(config, s)).chosen()).as(s.toString()).isPresent();
        }
    }

    @Test
    void forcedToolAndModel_runsOnlyThatPair() {
        RoutingStrategy strategy = createStrategy();
        LlmConfig config = configuration();
        for (AgentDefinition agent : config.agents().values()) {
            for (RouteTarget target : chain(agent)) {
                LlmRequest forced = LlmRequest.builder("Say OK.").agent(agent.name()).tool(target.tool())
                        .model(target.model()).build();
                Situation s = new Situation(agent, forced, 100, Set.of());
                RoutePlan plan = strategy.plan(context(config, s));
                assertThat(plan.runnable()).as(s + " -> " + plan.candidates())
                        .extracting(Candidate::tool, Candidate::model)
                        .containsExactly(tuple(target.tool(), target.model()));
            }
        }
    }

    @Test
    void plan_isDeterministic_acrossCallsAndInstances() {
        RoutingStrategy strategy = createStrategy();
        LlmConfig config = configuration();
        for (Situation s : situations()) {
            RoutePlan first = strategy.plan(context(config, s));
            assertThat(strategy.plan(context(config, s))).as(s.toString()).isEqualTo(first);
            assertThat(createStrategy().plan(context(config, s))).as(s.toString()).isEqualTo(first);
        }
    }

    @Test
    void oneInstance_routingFromManyThreads_givesEachContextItsSingleThreadedPlan() throws Exception {
        LlmConfig config = configuration();
        List<Situation> situations = situations();
        List<RoutePlan> expected = new ArrayList<>();
        RoutingStrategy reference = createStrategy();
        for (Situation s : situations) {
            expected.add(reference.plan(context(config, s)));
        }
        RoutingStrategy shared = createStrategy();
        int threads = 8;
        int rounds = 20;
        AtomicInteger compared = new AtomicInteger();
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        StartTogether.run(threads, thread -> {
            Random random = new Random(thread);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < situations.size(); i++) {
                order.add(i);
            }
            for (int r = 0; r < rounds; r++) {
                Collections.shuffle(order, random);
                for (int i : order) {
                    RoutePlan plan = shared.plan(context(config, situations.get(i)));
                    if (!plan.equals(expected.get(i))) {
                        wrong.add(situations.get(i) + ": " + plan + " instead of " + expected.get(i));
                    }
                    compared.incrementAndGet();
                }
            }
        });
        assertThat(wrong).isEmpty();
        assertThat(compared.get()).isEqualTo(threads * rounds * situations.size());
    }

    /**
     * Every agent, under each prompt size (small; just past the smallest context window the
     * configuration has), complexity hint (none and each hint) and set of missing tools (none; the
     * agent's own tool; every tool).
     */
    protected List<Situation> situations() {
        LlmConfig config = configuration();
        long smallestWindow = config.models().values().stream().mapToLong(ModelDefinition::contextWindow).min()
                .orElse(1_000);
        List<Long> sizes = List.of(100L, smallestWindow + 1);
        List<Complexity> hints = new ArrayList<>();
        hints.add(null);
        hints.addAll(List.of(Complexity.values()));
        List<Situation> out = new ArrayList<>();
        for (AgentDefinition agent : config.agents().values()) {
            List<Set<String>> missing = List.of(Set.of(), Set.of(agent.tool()), Set.copyOf(config.tools().keySet()));
            for (long tokens : sizes) {
                for (Complexity hint : hints) {
                    for (Set<String> m : missing) {
                        out.add(new Situation(agent, request(agent, hint), tokens, m));
                    }
                }
            }
        }
        return out;
    }

    private static LlmRequest request(AgentDefinition agent, Complexity hint) {
        LlmRequest.Builder b = LlmRequest.builder("Review this change.").agent(agent.name());
        return hint == null ? b.build() : b.complexity(hint).build();
    }

    private static List<RouteTarget> chain(AgentDefinition agent) {
        List<RouteTarget> chain = new ArrayList<>();
        chain.add(agent.preferred());
        chain.addAll(agent.fallbacks());
        return chain;
    }

    private static void assertRunnable(LlmConfig config, Situation s, Candidate c, String where) {
        Optional<ToolDefinition> tool = config.tool(c.tool());
        assertThat(tool).as("runnable %s: a configured tool, in %s", c, where).isPresent();
        assertThat(tool.get().supports(c.model())).as("runnable %s: the tool supports the model, in %s", c, where)
                .isTrue();
        assertThat(s.missing()).as("runnable %s: its tool is installed, in %s", c, where).doesNotContain(c.tool());
        config.model(c.model()).ifPresent(m -> assertThat(m.contextWindow())
                .as("runnable %s: its context window holds the prompt, in %s", c, where)
                .isGreaterThanOrEqualTo(s.promptTokens()));
    }

    private static void assertPreferredAccountedFor(LlmConfig config, Situation s, RoutePlan plan, String where) {
        RouteTarget preferred = s.agent().preferred();
        Optional<Candidate> listed = plan.candidates().stream()
                .filter(c -> c.tool().equals(preferred.tool()) && c.model().equals(preferred.model())).findFirst();
        assertThat(listed).as("the agent's preferred pair is listed in %s", where).isPresent();
        if (s.missing().contains(preferred.tool())) {
            assertThat(listed.get().status()).as(where).isEqualTo(Candidate.Status.EXCLUDED);
            assertThat(listed.get().reason()).as(where).contains(missingDetail(preferred.tool()));
        } else {
            Optional<ModelDefinition> model = config.model(preferred.model());
            if (model.isPresent() && model.get().contextWindow() < s.promptTokens()) {
                assertThat(listed.get().status()).as(where).isEqualTo(Candidate.Status.EXCLUDED);
                assertThat(listed.get().reason()).as(where).contains(String.valueOf(model.get().contextWindow()));
            }
        }
    }

    /** The context the service would hand the strategy in this situation; availability answers from {@code missing}. */
    private static RoutingContext context(LlmConfig config, Situation s) {
        return new RoutingContext() {
            @Override
            public LlmRequest request() {
                return s.request();
            }

            @Override
            public AgentDefinition agent() {
                return s.agent();
            }

            @Override
            public LlmConfig config() {
                return config;
            }

            @Override
            public long estimatedPromptTokens() {
                return s.promptTokens();
            }

            @Override
            public Availability availability(String tool) {
                return s.missing().contains(tool) ? Availability.missing(missingDetail(tool))
                        : Availability.available("contract test");
            }
        };
    }
}
