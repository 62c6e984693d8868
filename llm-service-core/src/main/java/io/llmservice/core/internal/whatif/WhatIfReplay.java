package io.llmservice.core.internal.whatif;

import io.llmservice.Candidate;
import io.llmservice.ErrorCode;
import io.llmservice.LlmRequest;
import io.llmservice.LlmServiceException;
import io.llmservice.RoutePlan;
import io.llmservice.WhatIfCost;
import io.llmservice.WhatIfMove;
import io.llmservice.WhatIfReport;
import io.llmservice.config.AgentDefinition;
import io.llmservice.config.BudgetDefinition;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.ModelDefinition;
import io.llmservice.config.OnExceed;
import io.llmservice.config.Pricing;
import io.llmservice.config.ToolDefinition;
import io.llmservice.core.internal.RequestResolver;
import io.llmservice.core.internal.budget.BudgetWindow;
import io.llmservice.core.internal.pipeline.BudgetStep;
import io.llmservice.core.internal.pipeline.CostCalculator;
import io.llmservice.core.internal.routing.CostEstimator;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.RouteInput;
import io.llmservice.spi.RoutingStrategy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Replays recorded requests under a proposed configuration, in one pass over the log, without running
 * anything.
 *
 * <p>Per request: its records are folded as they stream in ({@link OpenRequest}); once it is over, its
 * route is re-decided by the proposed routing strategy from the recorded agent and {@link RouteInput}
 * (through the same agent resolution and override checks as {@code route()}; every tool taken as
 * installed; the first candidate the budgets admit taken as the one that answers), and the proposed
 * {@code limit} budgets are applied in time order as {@code BudgetStep} and {@code FallbackStep} apply
 * them: a hard limit the cost would pass refuses the candidate; on {@code on_exceed: downgrade} the cheaper
 * models {@link BudgetStep#cheaperModels} lists are tried, and when none fits the plan's next candidate;
 * an {@code on_exceed: block} refusal is final; a soft limit counts the request as over. The cost on a
 * candidate is the answering attempt's recorded cost when the candidate is its recorded tool and model and
 * that model's prices did not change, else its tokens at the candidate model's list price ({@link
 * CostCalculator#listPrice}, as a call without a tool-reported cost is priced).
 *
 * <p>A request that never answered (or whose answer reported no token counts) has no usage to re-price:
 * it is re-routed and counted like the others, and its recorded cost is carried over unchanged (usually
 * zero; a timeout the tool billed keeps its cost), so it neither adds nor invents savings.
 *
 * <p><b>Memory.</b> Records arrive ordered by start time. A request is open from its first record until
 * it answered, or until no record of it came for {@link #HORIZON} after its latest attempt ended (a
 * fallback starts right after the attempt before it); requests are closed oldest first, so budgets see
 * them in start order. A request that never finishes (its process died with the service) is closed by
 * the horizon, and at most {@link #MAX_OPEN} requests are open at once (beyond, the oldest is closed as
 * it is): memory is bounded by the traffic of one horizon, not by the length of the log. Totals are kept
 * per agent, per move and per budget (the current period only); requests not replayed are counted per
 * agent and cause (with the first one's plan as an example), not one line per request.
 *
 * <pre>{@code
 * WhatIfReport r = new WhatIfReplay(proposed, strategy, d -> { }).replay(from, to, sink -> store.scanRecords(from, to, sink));
 * }</pre>
 *
 * <p>Not thread-safe; one replay per instance at a time.
 */
public final class WhatIfReplay {
    /** How long after a request's last attempt ended a further attempt is still waited for. */
    static final Duration HORIZON = Duration.ofHours(1);
    /** The most requests held open at once. */
    static final int MAX_OPEN = 100_000;
    /** The prompt is never stored; routing does not read it (the recorded estimate stands in). */
    private static final String PROMPT_NOT_STORED = "(prompt not stored)";

    private final LlmConfig proposed;
    private final RoutingStrategy strategy;
    private final RequestResolver resolver;
    private final Function<String, Optional<Pricing>> recordedPricing;
    private final BigDecimal reservationCap;
    private final CostEstimator estimator = new CostEstimator();
    private final Consumer<Decision> observer;

    /**
     * Replays under {@code proposed} taking the log as recorded under the same model prices.
     *
     * @param proposed the configuration to replay under
     * @param strategy its routing strategy
     * @param observer told every replayed request's decision, in the order budgets see them
     */
    public WhatIfReplay(LlmConfig proposed, RoutingStrategy strategy, Consumer<Decision> observer) {
        this(proposed, proposed, strategy, observer);
    }

    /**
     * @param proposed the configuration to replay under
     * @param recorded the configuration the log was recorded under: a request that stays on its recorded
     *                 tool and model keeps its recorded cost only while that model's prices are the same in both
     * @param strategy the proposed configuration's routing strategy
     * @param observer told every replayed request's decision, in the order budgets see them
     */
    public WhatIfReplay(LlmConfig proposed, LlmConfig recorded, RoutingStrategy strategy,
                        Consumer<Decision> observer) {
        this.proposed = Objects.requireNonNull(proposed, "proposed");
        Objects.requireNonNull(recorded, "recorded");
        this.recordedPricing = id -> recorded.model(id).map(ModelDefinition::pricing);
        this.reservationCap = proposed.policies().maxReservationUsd();
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.resolver = new RequestResolver(proposed);
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /**
     * Replays the records {@code scan} passes to its sink (those of {@code [from, to)}, ordered by start
     * time).
     *
     * @throws LlmServiceException with {@link ErrorCode#INVALID_REQUEST} when requests lack their route input
     */
    public WhatIfReport replay(Instant from, Instant to, Consumer<Consumer<InvocationRecord>> scan) {
        Run run = new Run();
        scan.accept(run::accept);
        run.closeAll();
        return run.report(from, to);
    }

    /** Totals of one agent or one move. */
    private static final class Totals {
        long requests;
        BigDecimal recordedUsd = BigDecimal.ZERO;
        BigDecimal proposedUsd = BigDecimal.ZERO;
        /** For requests not replayed: why the first one was not (its plan), or nothing. */
        String example = "";

        void add(BigDecimal recorded, BigDecimal proposedCost) {
            requests++;
            recordedUsd = recordedUsd.add(recorded);
            proposedUsd = proposedUsd.add(proposedCost);
        }
    }

    /**
     * Where a request runs and what it costs there; {@code refuser} is the budget that refused it, if one did.
     * {@code repriced}: the cost is from its tokens (false: the recorded cost carried over).
     */
    private record Admitted(String tool, String model, BigDecimal usd, boolean repriced, BudgetTrack refuser) {
    }

    private record MoveKey(String fromTool, String fromModel, String toTool, String toModel) {
    }

    /** The state of one replay. */
    private final class Run {
        private final LinkedHashMap<String, OpenRequest> open = new LinkedHashMap<>();
        /** The ids of the latest closed requests, so a record arriving after its request closed is not a new one. */
        private final Map<String, Boolean> closed = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > MAX_OPEN;
            }
        };
        private long late;
        private final List<BudgetTrack> budgets = new ArrayList<>();
        private final List<String> budgetsNotReplayed = new ArrayList<>();
        private final Map<String, Totals> agents = new TreeMap<>();
        private final Map<MoveKey, Totals> moves = new LinkedHashMap<>();
        private final Map<String, Totals> notReplayed = new TreeMap<>();
        private long carriedOver;
        private long lacking;
        private long seen;
        private Instant firstLacking;
        private Instant lastLacking;
        /** The first record with a route input after the last one without. */
        private Instant keptSince;

        Run() {
            for (BudgetDefinition b : proposed.policies().budgets()) {
                if (b.type().equals(BudgetDefinition.DEFAULT_TYPE)) {
                    budgets.add(new BudgetTrack(b, proposed.policies().timezone()));
                } else {
                    budgetsNotReplayed.add("budget '" + b.name() + "' is of type '" + b.type()
                            + "', which a replay cannot evaluate: it is left out");
                }
            }
        }

        void accept(InvocationRecord r) {
            if (r.routeInput().isEmpty()) {
                if (firstLacking == null) {
                    firstLacking = r.startedAt();
                }
                lastLacking = r.startedAt();
                keptSince = null;
            } else if (keptSince == null) {
                keptSince = r.startedAt();
            }
            OpenRequest o = open.get(r.requestId());
            if (o == null && closed.containsKey(r.requestId())) {
                late++;
                return;
            }
            if (o == null) {
                o = new OpenRequest(r);
                open.put(r.requestId(), o);
            }
            o.add(r);
            closeFinished(r.startedAt());
        }

        /** Closes requests oldest first while the oldest is over (answered, or silent for the horizon). */
        private void closeFinished(Instant now) {
            Iterator<OpenRequest> it = open.values().iterator();
            while (it.hasNext()) {
                OpenRequest head = it.next();
                boolean over = head.answered || head.lastEnded.plus(HORIZON).isBefore(now) || open.size() > MAX_OPEN;
                if (!over) {
                    return;
                }
                it.remove();
                close(head);
            }
        }

        void closeAll() {
            Iterator<OpenRequest> it = open.values().iterator();
            while (it.hasNext()) {
                OpenRequest o = it.next();
                it.remove();
                close(o);
            }
        }

        private void close(OpenRequest o) {
            closed.put(o.requestId, Boolean.TRUE);
            seen++;
            if (o.lacksRouteInput || o.routeInput.isEmpty()) {
                lacking++;
                return;
            }
            if (lacking > 0) {
                return;   // the replay will be refused: counting is all that is left to do
            }
            replay(o, o.routeInput.get());
        }

        private void replay(OpenRequest o, RouteInput in) {
            LlmRequest.Builder b = LlmRequest.builder(PROMPT_NOT_STORED);
            if (!o.agent.equals(RequestResolver.AD_HOC_AGENT)) {
                b.agent(o.agent);
            }
            in.complexity().ifPresent(b::complexity);
            in.tool().ifPresent(b::tool);
            in.model().ifPresent(b::model);
            LlmRequest request = b.build();
            AgentDefinition agent;
            try {
                agent = resolver.agentFor(request);
            } catch (LlmServiceException e) {
                skip(o, "agent '" + o.agent + "': " + e.getMessage(), "");
                return;
            }
            long tokens = in.estimatedPromptTokens();
            RoutePlan plan = strategy.plan(new ReplayContext(request, agent, proposed, tokens));
            Optional<Candidate> chosen = plan.chosen();
            if (chosen.isEmpty()) {
                // one line per agent, not per request: the plan names this request's token estimate
                skip(o, "agent '" + o.agent + "': no route under the proposed configuration",
                        plan.explain());
                return;
            }
            Instant at = o.startedAt;
            budgets.forEach(t -> t.enter(at));
            Admitted admitted = admit(o, agent, plan, tokens, at);
            String toTool = admitted.tool;
            String toModel = admitted.model;
            BigDecimal usd = admitted.usd;
            Optional<String> refusedBy = Optional.empty();
            if (admitted.refuser != null) {
                admitted.refuser.refused(at);
                refusedBy = Optional.of(admitted.refuser.definition.name());
                toTool = "(refused by " + admitted.refuser.definition.name() + ")";
                toModel = "";
                usd = BigDecimal.ZERO;
            } else {
                if (!admitted.repriced) {
                    carriedOver++;
                }
                for (BudgetTrack t : budgets) {
                    if (t.applies(agent.name(), agent.team(), admitted.tool, admitted.model)) {
                        t.spend(usd, at);
                    }
                }
            }
            agents.computeIfAbsent(o.agent, a -> new Totals()).add(o.recordedUsd, usd);
            moves.computeIfAbsent(new MoveKey(o.tool, o.model, toTool, toModel), k -> new Totals())
                    .add(o.recordedUsd, usd);
            observer.accept(new Decision(o.requestId, o.startedAt, o.agent, chosen.get().tool(),
                    chosen.get().model(), admitted.tool, admitted.model, refusedBy, o.recordedUsd, usd,
                    refusedBy.isEmpty() && admitted.repriced));
        }

        /**
         * Where the proposed budgets let the request run, walking the plan as {@code FallbackStep} and
         * {@code BudgetStep} do: a candidate the budgets admit answers; one refused by an {@code on_exceed:
         * downgrade} budget tries the cheaper models of its tool, and when none fits the walk goes on to the
         * next candidate; a refusal by an {@code on_exceed: block} budget is final; when every candidate was
         * refused, the first refusal stands.
         */
        private Admitted admit(OpenRequest o, AgentDefinition agent, RoutePlan plan, long tokens, Instant at) {
            BudgetTrack firstRefuser = null;
            List<BudgetTrack> movedOn = new ArrayList<>();
            String lastTool = "";
            String lastModel = "";
            for (Candidate c : plan.candidates()) {
                if (!c.runnable()) {
                    continue;
                }
                lastTool = c.tool();
                lastModel = c.model();
                Optional<ModelDefinition> def = proposed.model(c.model());
                Admitted here = priced(o, c.tool(), c.model(), def);
                BudgetTrack refuser = firstRefuser(agent, c.tool(), c.model(), here.usd);
                if (refuser == null) {
                    movedOn.forEach(t -> t.downgraded(at));
                    return here;
                }
                if (firstRefuser == null) {
                    firstRefuser = refuser;
                }
                if (refuser.definition.onExceed() != OnExceed.DOWNGRADE) {
                    return new Admitted(c.tool(), c.model(), BigDecimal.ZERO, false, refuser);
                }
                if (def.isPresent()) {
                    ToolDefinition toolDef = proposed.tools().get(c.tool());
                    for (ModelDefinition cheaper : BudgetStep.cheaperModels(toolDef, def.get(), tokens, proposed,
                            m -> BudgetStep.estimate(estimator, reservationCap, m, tokens), id -> false)) {
                        Admitted down = priced(o, c.tool(), cheaper.id(), Optional.of(cheaper));
                        BudgetTrack next = firstRefuser(agent, c.tool(), cheaper.id(), down.usd);
                        if (next == null) {
                            movedOn.forEach(t -> t.downgraded(at));
                            refuser.downgraded(at);
                            return down;
                        }
                        if (next.definition.onExceed() != OnExceed.DOWNGRADE) {
                            break;
                        }
                    }
                }
                movedOn.add(refuser);
            }
            return new Admitted(lastTool, lastModel, BigDecimal.ZERO, false, firstRefuser);
        }

        /**
         * The request's cost on {@code tool}/{@code model}: the answering attempt's recorded cost when it
         * ran there and the model's prices did not change (a tool-reported cost, or a sum of sub-agent
         * shares, then stays as it was); else its tokens at the model's list price, as {@link
         * CostCalculator} prices a call without a tool-reported cost; the recorded cost of the whole request
         * when there are no tokens to price.
         */
        private Admitted priced(OpenRequest o, String tool, String model, Optional<ModelDefinition> def) {
            if (!o.usage.isKnown() || def.isEmpty()) {
                return new Admitted(tool, model, o.recordedUsd, false, null);
            }
            if (o.answerUsd.isPresent() && tool.equals(o.tool) && model.equals(o.model)
                    && recordedPricing.apply(model).filter(def.get().pricing()::equals).isPresent()) {
                return new Admitted(tool, model, o.answerUsd.get(), true, null);
            }
            return new Admitted(tool, model, CostCalculator.listPrice(o.usage, def.get()), true, null);
        }

        /** The first hard budget, in configuration order, that applies and has no room for {@code usd}. */
        private BudgetTrack firstRefuser(AgentDefinition agent, String tool, String model, BigDecimal usd) {
            for (BudgetTrack t : budgets) {
                if (t.applies(agent.name(), agent.team(), tool, model) && t.refuses(usd)) {
                    return t;
                }
            }
            return null;
        }

        /** Counts a request not replayed under {@code cause}; the first one's {@code example} is kept. */
        private void skip(OpenRequest o, String cause, String example) {
            Totals t = notReplayed.computeIfAbsent(cause, r -> new Totals());
            if (t.requests == 0) {
                t.example = example;
            }
            t.add(o.recordedUsd, BigDecimal.ZERO);
        }

        WhatIfReport report(Instant from, Instant to) {
            if (lacking > 0) {
                throw new LlmServiceException(ErrorCode.INVALID_REQUEST, lacking + " of the " + seen
                        + " requests between " + from + " and " + to + " cannot be replayed: their records lack the"
                        + " route input (prompt token estimate, complexity hint) a replay needs; they were logged"
                        + " from " + firstLacking + " to " + lastLacking + " by a version of llm-service that did"
                        + " not keep it. " + (keptSince != null
                        ? "The log has it from " + keptSince + " on: replay from then (--since/--from " + keptSince
                                + ")."
                        : "No later record has it: record some traffic with this version first."));
            }
            WhatIfReport.Builder r = WhatIfReport.builder().window(from, to)
                    .strategy(proposed.policies().routing().strategy());
            Totals all = new Totals();
            agents.forEach((name, t) -> {
                r.agent(new WhatIfCost(name, t.requests, t.recordedUsd, t.proposedUsd));
                all.requests += t.requests;
                all.recordedUsd = all.recordedUsd.add(t.recordedUsd);
                all.proposedUsd = all.proposedUsd.add(t.proposedUsd);
            });
            r.requests(all.requests).total(new WhatIfCost(WhatIfCost.TOTAL, all.requests, all.recordedUsd,
                    all.proposedUsd));
            moves.entrySet().stream()
                    .sorted(Comparator.comparingLong((Map.Entry<MoveKey, Totals> e) -> -e.getValue().requests)
                            .thenComparing(e -> e.getKey().toString()))
                    .forEach(e -> r.move(new WhatIfMove(e.getKey().fromTool(), e.getKey().fromModel(),
                            e.getKey().toTool(), e.getKey().toModel(), e.getValue().requests,
                            e.getValue().recordedUsd, e.getValue().proposedUsd)));
            budgets.forEach(b -> r.budget(b.result()));
            notReplayed.forEach((cause, t) -> r.notReplayed(t.requests + " request(s) not replayed (recorded $"
                    + t.recordedUsd.toPlainString() + "): " + cause
                    + (t.example.isEmpty() ? "" : "; the first one: " + t.example)));
            budgetsNotReplayed.forEach(r::notReplayed);
            if (late > 0) {
                r.notReplayed(late + " record(s) came more than " + HORIZON.toHours() + " h after the attempt before"
                        + " them (or after their request had answered): left out of their request");
            }
            assumptions(r, from);
            return r.build();
        }

        /** The budgets whose period holding {@code from} began before it, named for the assumption. */
        private String midPeriod(Instant from) {
            ZoneId zone = proposed.policies().timezone();
            List<String> names = new ArrayList<>();
            for (BudgetTrack t : budgets) {
                Instant before = from.minusNanos(1);
                if (BudgetWindow.containing(t.definition.period(), before, zone).key()
                        .equals(BudgetWindow.containing(t.definition.period(), from, zone).key())) {
                    names.add("'" + t.definition.name() + "'");
                }
            }
            if (budgets.isEmpty()) {
                return " (here the proposed configuration has no budget to replay)";
            }
            return names.isEmpty() ? " (here no budget's period is cut: the replay starts at each one's period start)"
                    : " (here: " + String.join(", ", names) + ")";
        }

        private void assumptions(WhatIfReport.Builder r, Instant from) {
            r.assumption("Token counts are carried over unchanged: a request that stays on its recorded tool and"
                    + " model (at unchanged prices) keeps its answering attempt's recorded cost; a moved one's input,"
                    + " output and cache tokens are priced at the proposed model's list price, as if that model had"
                    + " used the same tokens (a sub-agent breakdown is priced as a whole at the proposed model).");
            r.assumption("Answer quality is not measured: a cheaper model that would have answered worse, or needed"
                    + " a second try, still counts as a saving.");
            r.assumption("The proposed routing's first candidate the budgets admit is taken to answer: every proposed"
                    + " tool installed, no cooldowns, rate limits or failures (so no fallback but the ones an"
                    + " on_exceed: downgrade budget causes); sessions are not pinned.");
            r.assumption("The prompt is not stored, so each request keeps its recorded token estimate, complexity"
                    + " hint, explicit tool/model and agent (taken as named explicitly).");
            r.assumption("Budgets are applied to the proposed costs in time order, periods cut in "
                    + proposed.policies().timezone() + "; a hard limit refuses a request whose cost would pass it"
                    + " (real calls reserve an estimate first, so they can be refused a little earlier); a refused"
                    + " request costs nothing. Each budget starts from zero at the start of the replayed period:"
                    + " spend before it in a period the replay starts in the middle of is not counted, so such a"
                    + " period's budget can run out later than it would have" + midPeriod(from) + ".");
            r.assumption(carriedOver + " request(s) had no token counts to re-price (never answered, or the tool"
                    + " reported only a cost): their recorded cost is carried over unchanged.");
        }
    }
}
