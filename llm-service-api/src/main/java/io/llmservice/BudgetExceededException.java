package io.llmservice;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A hard budget refused the request before anything ran.
 *
 * <pre>{@code
 * catch (BudgetExceededException e) {
 *     log.warn("budget {} ({}): limit {} spent {} reserved {}", e.policy(), e.period(), e.limitUsd(), e.spentUsd(), e.reservedUsd());
 * }
 * }</pre>
 */
public class BudgetExceededException extends LlmServiceException {
    private static final long serialVersionUID = 1L;

    private final String policy;
    private final String period;
    private final BigDecimal limitUsd;
    private final BigDecimal spentUsd;
    private final BigDecimal reservedUsd;

    public BudgetExceededException(String policy, String period, BigDecimal limitUsd, BigDecimal spentUsd,
                                   BigDecimal reservedUsd, BigDecimal requestedUsd) {
        super(ErrorCode.BUDGET_EXCEEDED, "budget '" + policy + "' (" + period + ") refused the request: limit $"
                + limitUsd.toPlainString() + ", spent $" + spentUsd.toPlainString() + ", reserved $"
                + reservedUsd.toPlainString() + ", this request needs ~$" + requestedUsd.toPlainString());
        this.policy = Objects.requireNonNull(policy, "policy");
        this.period = Objects.requireNonNull(period, "period");
        this.limitUsd = limitUsd;
        this.spentUsd = spentUsd;
        this.reservedUsd = reservedUsd;
    }

    public String policy() {
        return policy;
    }

    /** The period's label, such as {@code daily 2026-12-01}. */
    public String period() {
        return period;
    }

    public BigDecimal limitUsd() {
        return limitUsd;
    }

    public BigDecimal spentUsd() {
        return spentUsd;
    }

    public BigDecimal reservedUsd() {
        return reservedUsd;
    }
}
