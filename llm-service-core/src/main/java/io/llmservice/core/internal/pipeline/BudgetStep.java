package io.llmservice.core.internal.pipeline;

import io.llmservice.Attempt;
import io.llmservice.BudgetExceededException;
import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import io.llmservice.Outcome;
import io.llmservice.StoreUnreachableException;
import io.llmservice.Usage;
import io.llmservice.config.BudgetDefinition;
import io.llmservice.config.LimitType;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.ModelDefinition;
import io.llmservice.config.OnExceed;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.config.ToolDefinition;
import io.llmservice.config.WhenDown;
import io.llmservice.core.internal.routing.CostEstimator;
import io.llmservice.spi.BudgetLedger;
import io.llmservice.spi.BudgetPolicy;
import io.llmservice.spi.BudgetRequest;
import io.llmservice.spi.BudgetReservation;
import io.llmservice.spi.LatencyHistogram;
import io.llmservice.spi.ToolResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Holds room in every budget that applies to an attempt before the tool runs, and turns it into
 * spend (or gives it back) afterwards. Sits after {@link TelemetryStep} (so refusals are recorded)
 * and before {@link InvokeStep}.
 *
 * <p><b>Reservation.</b> The largest of: the prompt estimate ({@link #estimate}: {@link
 * CostEstimator#estimateUsd} of the plan's estimated prompt tokens on the attempt's model, prompt at
 * the input price plus an output allowance at the output price, rounded up to a millionth of a
 * dollar); the recent actual cost of the same agent, tool and model (the nearest-rank p95 of the
 * last {@link #HISTORY} settled calls, from {@link BudgetLedger#recentCosts}); and the
 * {@code reserve_usd} of every applicable budget that sets one — capped at {@code maxReservationUsd}.
 * A prompt estimate alone is often below what a tool really spends (system prompt, tool use, long
 * answers), and concurrent calls reserving too little could all be admitted past a hard limit.
 * Every applicable budget reserves that same amount.
 *
 * <p><b>Lifecycle.</b> Reserve in each applicable budget in configuration order; when one refuses,
 * the ones already reserved are released and the attempt fails with the refusal (outcome
 * {@code budget_blocked}, nothing invoked). After a successful call each reservation is settled with
 * the attempt's cost (the estimate when the cost is unknown); after any failure, timeout,
 * cancellation or exception each is released — in a {@code finally}, so no path leaks room. The
 * result carries the estimate ({@link AttemptResult#withReservation}) so the record shows
 * reservation next to cost; a cost above the estimate (an overrun) is logged.
 *
 * <p><b>Downgrade.</b> When every budget that refuses has {@code on_exceed: downgrade}, the step
 * tries the same tool's cheaper models (strictly lower estimate, context window large enough), the
 * closest in price first, and runs the first one every applicable budget admits, skipping models that
 * are cooling down ({@code policies.cooldown}); the switch is reported as a warning. A refusal by an {@code on_exceed: block} budget is final.
 *
 * <p><b>Store down.</b> A ledger that cannot be reached (its store fails with {@link
 * ErrorCode#TELEMETRY_STORE}: a killed H2 daemon, a PostgreSQL server that is down) while reserving
 * leaves the budget unchecked (only a {@link StoreUnreachableException}: its server down, the network
 * gone, no connection within {@code connect_timeout}). A hard budget then refuses the attempt with {@link
 * ErrorCode#BUDGET_UNAVAILABLE} (outcome {@code budget_blocked}, nothing invoked, what was already
 * reserved in other budgets released): a hard limit that cannot be checked must not be assumed to
 * have room. A soft budget does the same unless {@code policies.telemetry.when_down: run}: then the
 * attempt runs without a reservation in that budget, and the answer's warnings (and the listeners)
 * say that the budget was not checked and its spend not reserved. A store that was reached but failed
 * (any other {@code TELEMETRY_STORE} error: a lock wait that kept timing out, a pool whose connections
 * were all busy, a schema or constraint error) refuses the attempt with {@code BUDGET_UNAVAILABLE}
 * whatever the budget's type and {@code when_down}, saying what failed. A settle or release that fails
 * after the call ran never turns the answer into an exception: it is kept in {@link
 * PendingSettlements} and retried in the background (idempotently, by reservation id) until it
 * lands, with one last try when the service closes; only one still failing then leaves its
 * reservation to expire and be charged at the cost its invocation record shows. Such failures are
 * logged at WARN once per outage (then at DEBUG until a settle succeeds again), not once per call.
 * Any other exception of a policy or ledger propagates.
 *
 * <p>Thread-safe: besides its immutable configuration it holds only the thread-safe pending settles.
 */
public final class BudgetStep implements AttemptStep {
    private static final Logger LOG = LoggerFactory.getLogger(BudgetStep.class);
    /** Estimates are kept to a millionth of a dollar, rounded up. */
    private static final int ESTIMATE_SCALE = 6;
    /** How many recent settled calls of an agent/tool/model size its reservations. */
    public static final int HISTORY = 50;
    /** The percentile of those calls' costs that is reserved. */
    private static final int HISTORY_PERCENTILE = 95;

    /** A configured budget and the policy that enforces it. */
    public record Budget(BudgetDefinition definition, BudgetPolicy policy) {
        public Budget {
            Objects.requireNonNull(definition, "definition");
            Objects.requireNonNull(policy, "policy");
        }
    }

    private final List<Budget> budgets;
    private final BudgetLedger ledger;
    private final LlmConfig config;
    private final CostEstimator estimator;
    private final BigDecimal maxReservationUsd;
    private final Listeners listeners;
    /** Whether a tool/model is cooling down: a downgrade does not pick one. */
    private final BiPredicate<String, String> cooling;
    /** What a soft budget does when the store is down; a hard one always refuses. */
    private final WhenDown whenDown;
    /** The store, for messages: its type and URL or path (never a password). */
    private final String storeName;
    /** Settles and releases that failed, retried in the background until they land. */
    private final PendingSettlements pending;

    public BudgetStep(List<Budget> budgets, BudgetLedger ledger, LlmConfig config, CostEstimator estimator,
                      BigDecimal maxReservationUsd, Listeners listeners, BiPredicate<String, String> cooling,
                      PendingSettlements pending) {
        this.pending = Objects.requireNonNull(pending, "pending");
        this.cooling = Objects.requireNonNull(cooling, "cooling");
        this.budgets = List.copyOf(budgets);
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.config = Objects.requireNonNull(config, "config");
        this.estimator = Objects.requireNonNull(estimator, "estimator");
        this.maxReservationUsd = Objects.requireNonNull(maxReservationUsd, "maxReservationUsd");
        if (maxReservationUsd.signum() <= 0) {
            throw new IllegalArgumentException("maxReservationUsd must be > 0, was " + maxReservationUsd);
        }
        this.listeners = Objects.requireNonNull(listeners, "listeners");
        TelemetrySettings telemetry = config.policies().telemetry();
        this.whenDown = telemetry.whenDown();
        this.storeName = telemetry.store() + " at " + telemetry.location();
    }

    /** The prompt-based estimate for a call of {@code promptTokens} on {@code model}, capped. */
    public BigDecimal estimate(ModelDefinition model, long promptTokens) {
        return estimate(estimator, maxReservationUsd, model, promptTokens);
    }

    /**
     * The prompt-based estimate for a call of {@code promptTokens} on {@code model}: {@link
     * CostEstimator#estimateUsd} rounded up to a millionth of a dollar, capped at {@code maxReservationUsd}.
     */
    public static BigDecimal estimate(CostEstimator estimator, BigDecimal maxReservationUsd, ModelDefinition model,
                                      long promptTokens) {
        BigDecimal usd = estimator.estimateUsd(model, promptTokens).setScale(ESTIMATE_SCALE, RoundingMode.UP);
        return usd.min(maxReservationUsd).stripTrailingZeros();
    }

    /**
     * The models a downgrade from {@code current} on {@code tool} tries, in order: the tool's other
     * catalogue models whose context window holds {@code tokens} and whose {@code estimate} is strictly
     * lower, the closest in price first (then by id), leaving out those {@code skip} names (cooling down).
     * {@code llm-service whatif} replays downgrades with the same rule.
     */
    public static List<ModelDefinition> cheaperModels(ToolDefinition tool, ModelDefinition current, long tokens,
                                                      LlmConfig config, Function<ModelDefinition, BigDecimal> estimate,
                                                      Predicate<String> skip) {
        BigDecimal currentUsd = estimate.apply(current);
        List<ModelDefinition> cheaper = new ArrayList<>();
        for (String id : tool.models().keySet()) {
            ModelDefinition m = config.models().get(id);
            if (m != null && !id.equals(current.id()) && m.contextWindow() >= tokens
                    && estimate.apply(m).compareTo(currentUsd) < 0 && !skip.test(id)) {
                cheaper.add(m);
            }
        }
        cheaper.sort(Comparator.comparing(estimate).reversed().thenComparing(ModelDefinition::id));
        return cheaper;
    }

    /**
     * What an attempt reserves: the largest of the prompt estimate, the p95 of the recent actual costs
     * of its agent/tool/model and the {@code reserve_usd} of the applicable budgets, capped.
     */
    private BigDecimal reservation(BudgetRequest request) {
        BigDecimal amount = request.estimatedUsd();
        List<BigDecimal> recent;
        try {
            recent = ledger.recentCosts(request.agent(), request.tool(), request.model(), HISTORY);
        } catch (StoreUnreachableException e) {
            // The store is down: each budget's reserve fails the same way and decides what happens.
            recent = List.of();
        } catch (LlmServiceException e) {
            if (e.code() != ErrorCode.TELEMETRY_STORE) {
                throw e;
            }
            throw new Unavailable(storeFailed(budgets.stream().filter(b -> b.policy().applies(request))
                    .map(b -> "'" + b.policy().name() + "'").toList(), e));
        }
        if (!recent.isEmpty()) {
            amount = amount.max(nearestRank(recent, HISTORY_PERCENTILE));
        }
        for (Budget b : budgets) {
            if (b.definition().reserveUsd().isPresent() && b.policy().applies(request)) {
                amount = amount.max(b.definition().reserveUsd().get());
            }
        }
        return amount.min(maxReservationUsd).stripTrailingZeros();
    }

    /**
     * The nearest-rank percentile of exact costs: the cost at {@link LatencyHistogram#rank} (the one
     * definition of a percentile's rank, which stats uses too). The cost itself, not a histogram bucket's
     * middle: a reservation rounded down by 2 % could let a hard limit be passed.
     */
    public static BigDecimal nearestRank(List<BigDecimal> values, int p) {
        List<BigDecimal> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.naturalOrder());
        return sorted.get((int) LatencyHistogram.rank(p, sorted.size()) - 1);
    }

    @Override
    public AttemptResult handle(AttemptContext at, AttemptChain next) {
        if (budgets.isEmpty()) {
            return next.proceed(at);
        }
        Held held;
        try {
            try {
                held = reserveAll(at);
            } catch (BudgetExceededException refusal) {
                Optional<Downgrade> downgrade = downgradable(refusal) ? downgrade(at) : Optional.empty();
                listeners.budgetRefused(at.exchange(), at.tool().name(), at.model().id(), refusal,
                        downgrade.isPresent());
                if (downgrade.isEmpty()) {
                    return refused(at, refusal);
                }
                Downgrade d = downgrade.get();
                listeners.warning(ErrorCode.BUDGET_EXCEEDED, refusal.getMessage() + "; downgraded " + at.tool().name()
                        + "/" + at.model().id() + " to " + at.tool().name() + "/" + d.attempt().model().id()
                        + " (~$" + d.held().estimate().toPlainString() + ")");
                at = d.attempt();
                held = d.held();
            }
        } catch (Unavailable unavailable) {
            return refused(at, unavailable.refusal);
        }
        held.unmetered().forEach(w -> listeners.warning(ErrorCode.BUDGET_UNAVAILABLE, w));
        if (held.isEmpty()) {
            return withUnmeteredWarnings(next.proceed(at), held);
        }
        return withUnmeteredWarnings(run(at, next, held), held);
    }

    /** A successful answer of an attempt that ran unmetered in some budget says so in its warnings. */
    private static AttemptResult withUnmeteredWarnings(AttemptResult result, Held held) {
        if (held.unmetered().isEmpty() || result.result().isEmpty()) {
            return result;
        }
        ToolResult.Builder b = result.result().get().toBuilder();
        held.unmetered().forEach(b::warning);
        return new AttemptResult(result.attempt(), Optional.of(b.build()), result.reservedUsd());
    }

    /**
     * What a budget whose ledger could not be reached means for the attempt: a soft one with
     * {@code when_down: run} is noted in {@code held} (the attempt runs), anything else refuses.
     */
    private void unreachable(Budget b, LlmServiceException cause, Held held) {
        String budget = "budget '" + b.policy().name() + "' could not be checked: the telemetry store (" + storeName
                + ") could not be reached (" + cause.getMessage() + ")";
        boolean soft = b.definition().limitType() == LimitType.SOFT;
        if (soft && whenDown == WhenDown.RUN) {
            held.addUnmetered(budget + "; the call runs unmetered: no spend is reserved in this soft budget"
                    + " (policies.telemetry.when_down: run)");
            return;
        }
        String why = soft
                ? "soft budgets refuse while the store is down (policies.telemetry.when_down: refuse); retry when the"
                        + " store is back, or set when_down: run to let soft budgets run unmetered"
                : "a hard budget never runs unmetered; retry when the store is back";
        throw new Unavailable(new LlmServiceException(ErrorCode.BUDGET_UNAVAILABLE,
                budget + "; nothing ran: " + why, cause));
    }

    /**
     * The refusal when the store answered but the check failed (a lock wait that kept timing out, a
     * pool whose connections were all busy, a schema or constraint error): whatever {@code when_down}
     * says, since the store is not down, and worded as what failed, not as "could not be reached".
     */
    private LlmServiceException storeFailed(List<String> budgetNames, LlmServiceException cause) {
        return new LlmServiceException(ErrorCode.BUDGET_UNAVAILABLE, "budget " + String.join(", ", budgetNames)
                + " could not be checked: the telemetry store (" + storeName + ") failed: " + cause.getMessage()
                + "; nothing ran: the store was reached, so policies.telemetry.when_down does not apply; retry,"
                + " and if it persists see the store's log", cause);
    }

    /** Carries a refusal for the store out of {@link #reserveAll}, past the downgrade logic. */
    private static final class Unavailable extends RuntimeException {
        private final LlmServiceException refusal;

        Unavailable(LlmServiceException refusal) {
            super(refusal.getMessage(), refusal, false, false);
            this.refusal = refusal;
        }
    }

    private AttemptResult run(AttemptContext at, AttemptChain next, Held held) {
        boolean settled = false;
        try {
            AttemptResult result = next.proceed(at);
            if (result.succeeded()) {
                Attempt a = result.attempt();
                BigDecimal actual = a.costUsd().orElse(held.estimate());
                held.settle(actual);
                settled = true;
                BigDecimal overrun = actual.subtract(held.estimate());
                if (overrun.signum() > 0) {
                    // Expected whenever a tool reports more than the estimate; the books are settled at the
                    // actual cost, so there is nothing to act on: debug (the command's --verbose), not a warning.
                    LOG.debug("request {} attempt {} on {}/{} cost ${}, ${} above its reservation of ${} in budget(s) {}",
                            at.exchange().requestId(), at.number(), a.tool(), a.model(), actual.toPlainString(),
                            overrun.toPlainString(), held.estimate().toPlainString(), held.names());
                }
            }
            return result.withReservation(held.estimate());
        } finally {
            if (!settled) {
                held.release();
            }
        }
    }

    /** Reserves in every applicable budget, or reserves nothing and throws the first refusal. */
    private Held reserveAll(AttemptContext at) {
        Exchange ex = at.exchange();
        BudgetRequest byPrompt = new BudgetRequest(ex.requestId(), ex.agent().name(), ex.agent().team(),
                at.tool().name(), at.model().id(), estimate(at.model(), ex.plan().estimatedTokens()),
                ex.request().timeout().orElse(at.tool().timeout()), at.number());
        if (budgets.stream().noneMatch(b -> b.policy().applies(byPrompt))) {
            return new Held(byPrompt.estimatedUsd());
        }
        BigDecimal amount = reservation(byPrompt);
        BudgetRequest request = new BudgetRequest(byPrompt.requestId(), byPrompt.agent(), byPrompt.team(),
                byPrompt.tool(), byPrompt.model(), amount, byPrompt.maxDuration(), byPrompt.attempt());
        Held held = new Held(amount);
        boolean complete = false;
        try {
            for (Budget b : budgets) {
                if (b.policy().applies(request)) {
                    BudgetReservation r;
                    try {
                        r = b.policy().reserve(request);
                    } catch (StoreUnreachableException e) {
                        unreachable(b, e, held);
                        continue;
                    } catch (LlmServiceException e) {
                        if (e.code() != ErrorCode.TELEMETRY_STORE) {
                            throw e;
                        }
                        throw new Unavailable(storeFailed(List.of("'" + b.policy().name() + "'"), e));
                    }
                    held.add(b.policy().name(), r);
                }
            }
            complete = true;
            return held;
        } finally {
            if (!complete) {
                held.release();
            }
        }
    }

    private boolean downgradable(BudgetExceededException refusal) {
        return budgets.stream().anyMatch(b -> b.policy().name().equals(refusal.policy())
                && b.definition().onExceed() == OnExceed.DOWNGRADE);
    }

    private record Downgrade(AttemptContext attempt, Held held) {
    }

    /** The closest cheaper model of the same tool that every applicable budget admits. */
    private Optional<Downgrade> downgrade(AttemptContext at) {
        long tokens = at.exchange().plan().estimatedTokens();
        String toolName = at.tool().name();
        List<ModelDefinition> cheaper = cheaperModels(at.tool(), at.model(), tokens, config, m -> estimate(m, tokens),
                id -> cooling.test(toolName, id));
        for (ModelDefinition m : cheaper) {
            AttemptContext candidate = new AttemptContext(at.exchange(), at.number(), at.tool(), m, at.startedAt(),
                    at.startNanos());
            try {
                return Optional.of(new Downgrade(candidate, reserveAll(candidate)));
            } catch (BudgetExceededException tooExpensive) {
                if (!downgradable(tooExpensive)) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static AttemptResult refused(AttemptContext at, LlmServiceException refusal) {
        return AttemptResult.failure(Attempt.failed(at.number(), at.tool().name(), at.model().id(),
                Outcome.BUDGET_BLOCKED, at.startedAt(), at.elapsed(),
                Usage.unknown(), -1, refusal));
    }

    /** The reservations of one attempt. Confined to the attempt's thread. */
    private final class Held {
        private final BigDecimal estimate;
        private final List<String> names = new ArrayList<>();
        private final List<BudgetReservation> reservations = new ArrayList<>();
        /** A warning per budget the attempt runs unmetered in (store down, soft, when_down: run). */
        private final List<String> unmetered = new ArrayList<>();

        Held(BigDecimal estimate) {
            this.estimate = estimate;
        }

        BigDecimal estimate() {
            return estimate;
        }

        List<String> names() {
            return names;
        }

        boolean isEmpty() {
            return reservations.isEmpty();
        }

        void add(String name, BudgetReservation r) {
            names.add(name);
            reservations.add(r);
        }

        void addUnmetered(String warning) {
            unmetered.add(warning);
        }

        List<String> unmetered() {
            return unmetered;
        }

        void settle(BigDecimal actual) {
            for (int i = 0; i < reservations.size(); i++) {
                BudgetReservation r = reservations.get(i);
                try {
                    r.settle(actual);
                    pending.succeeded();
                } catch (RuntimeException e) {
                    pending.retry("settle", names.get(i), () -> r.settle(actual), e);
                }
            }
        }

        void release() {
            for (int i = 0; i < reservations.size(); i++) {
                BudgetReservation r = reservations.get(i);
                try {
                    r.release();
                } catch (RuntimeException e) {
                    pending.retry("release", names.get(i), r::release, e);
                }
            }
        }
    }
}
