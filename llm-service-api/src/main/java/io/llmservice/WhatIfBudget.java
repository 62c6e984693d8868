package io.llmservice;

import io.llmservice.config.BudgetDefinition;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * What one budget of the proposed configuration would have done to the replayed requests: how many it
 * refused ({@code hard} + {@code on_exceed: block}), how many it downgraded to a cheaper model
 * ({@code on_exceed: downgrade}), how many went over a {@code soft} limit, and the first day (in the
 * proposed {@code policies.timezone}) on which it ran out.
 *
 * <pre>{@code
 * report.budgets().forEach(b -> System.out.println(b.budget().name() + ": " + b.refused() + " refused, ran out "
 *         + b.ranOutOn().map(LocalDate::toString).orElse("never")));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param budget        the proposed budget
 * @param refused       requests it refused (they cost nothing in the replay)
 * @param downgraded    requests it moved to a cheaper model of the same tool, or (when none fitted) on to a
 *                      later candidate of their route that fitted
 * @param over          requests that found a soft limit already exceeded or exceeded it (not refused)
 * @param ranOutOn      the first day a request did not fit (refused, downgraded or over), if one did not
 * @param periodsRunOut in how many of its periods (days, weeks or months) that happened
 */
public record WhatIfBudget(BudgetDefinition budget, long refused, long downgraded, long over,
                           Optional<LocalDate> ranOutOn, long periodsRunOut) {
    public WhatIfBudget {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(ranOutOn, "ranOutOn");
    }

    /** The spent limit as a plain number, for printing. */
    public BigDecimal limitUsd() {
        return budget.limitUsd();
    }
}
