package io.llmservice.core.internal.pipeline;

import io.llmservice.Attempt;
import io.llmservice.BudgetExceededException;
import io.llmservice.ErrorCode;
import io.llmservice.Outcome;
import io.llmservice.Usage;
import io.llmservice.config.BudgetDefinition;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.ModelDefinition;
import io.llmservice.config.OnExceed;
import io.llmservice.core.internal.routing.CostEstimator;
import io.llmservice.spi.BudgetLedger;
import io.llmservice.spi.BudgetPolicy;
import io.llmservice.spi.BudgetRequest;
import io.llmservice.spi.BudgetReservation;
import io.llmservice.spi.LatencyHistogram;
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
 * <p>A policy or ledger that fails with anything other than a refusal (a broken database, say)
 * fails the request: what was reserved is released and the exception propagates, because a hard
 * limit that cannot be checked must not be assumed to have room.
 *
 * <p>Thread-safe (stateless besides its immutable configuration).
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

    public BudgetStep(List<Budget> budgets, BudgetLedger ledger, LlmConfig config, CostEstimator estimator,
                      BigDecimal maxReservationUsd, Listeners listeners, BiPredicate<String, String> cooling) {
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
    }

    /** The prompt-based estimate for a call of {@code promptTokens} on {@code model}, capped. */
    public BigDecimal estimate(ModelDefinition model, long promptTokens) {
        BigDecimal usd = estimator.estimateUsd(model, promptTokens).setScale(ESTIMATE_SCALE, RoundingMode.UP);
        return usd.min(maxReservationUsd).stripTrailingZeros();
    }

    /**
     * What an attempt reserves: the largest of the prompt estimate, the p95 of the recent actual costs
     * of its agent/tool/model and the {@code reserve_usd} of the applicable budgets, capped.
     */
    private BigDecimal reservation(BudgetRequest request) {
        BigDecimal amount = request.estimatedUsd();
        List<BigDecimal> recent = ledger.recentCosts(request.agent(), request.tool(), request.model(), HISTORY);
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
            held = reserveAll(at);
        } catch (BudgetExceededException refusal) {
            Optional<Downgrade> downgrade = downgradable(refusal) ? downgrade(at) : Optional.empty();
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
        if (held.isEmpty()) {
            return next.proceed(at);
        }
        return run(at, next, held);
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
                    held.add(b.policy().name(), b.policy().reserve(request));
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
        BigDecimal current = estimate(at.model(), tokens);
        List<ModelDefinition> cheaper = new ArrayList<>();
        for (String id : at.tool().models().keySet()) {
            ModelDefinition m = config.models().get(id);
            if (m != null && !id.equals(at.model().id()) && m.contextWindow() >= tokens
                    && estimate(m, tokens).compareTo(current) < 0 && !cooling.test(at.tool().name(), id)) {
                cheaper.add(m);
            }
        }
        cheaper.sort(Comparator.comparing((ModelDefinition m) -> estimate(m, tokens)).reversed()
                .thenComparing(ModelDefinition::id));
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

    private static AttemptResult refused(AttemptContext at, BudgetExceededException refusal) {
        return AttemptResult.failure(Attempt.failed(at.number(), at.tool().name(), at.model().id(),
                Outcome.BUDGET_BLOCKED, at.startedAt(), at.elapsed(),
                Usage.unknown(), -1, refusal));
    }

    /** The reservations of one attempt. Confined to the attempt's thread. */
    private static final class Held {
        private final BigDecimal estimate;
        private final List<String> names = new ArrayList<>();
        private final List<BudgetReservation> reservations = new ArrayList<>();

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

        void settle(BigDecimal actual) {
            for (int i = 0; i < reservations.size(); i++) {
                try {
                    reservations.get(i).settle(actual);
                } catch (RuntimeException e) {
                    LOG.error("could not settle the reservation in budget {}: {}", names.get(i), e.toString());
                }
            }
        }

        void release() {
            for (int i = 0; i < reservations.size(); i++) {
                try {
                    reservations.get(i).release();
                } catch (RuntimeException e) {
                    LOG.error("could not release the reservation in budget {} (it expires on its own): {}",
                            names.get(i), e.toString());
                }
            }
        }
    }
}
