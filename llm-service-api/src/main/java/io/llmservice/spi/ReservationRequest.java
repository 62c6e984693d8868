package io.llmservice.spi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * Asks a {@link BudgetLedger} to hold room for one call. Build it with {@link #builder}; the
 * eight-argument constructor is kept for callers written before the call's identity (attempt,
 * agent, tool, model) was part of the request.
 *
 * <pre>{@code
 * ReservationRequest r = ReservationRequest.builder("team-daily", "daily:2026-12-01")
 *         .limitUsd(new BigDecimal("25")).enforce(true).amountUsd(new BigDecimal("0.04"))
 *         .call("req-1", 1, "code-reviewer", "claude", "claude-sonnet-4-5")
 *         .now(now).expiresAt(now.plusSeconds(660))
 *         .build();
 * }</pre>
 *
 * @param budget    the budget's name
 * @param periodKey the period the call falls in, e.g. {@code daily:2026-12-01}
 * @param limitUsd  the budget's limit
 * @param enforce   true for a hard limit (refuse when spent + reserved + amount would exceed the
 *                  limit); false for a soft one (always granted)
 * @param amountUsd the cost to reserve, &ge; 0
 * @param requestId the request
 * @param now       the current time (from the service clock)
 * @param expiresAt when the reservation stops holding room if neither settled nor released (a
 *                  crashed process's reservations expire this way, and are then charged as spent)
 * @param attempt   the attempt's number (1, 2, …), or 0 when not known; with the request id it finds
 *                  the attempt's invocation record, whose cost is charged if the reservation expires
 * @param agent     the agent, {@code ""} when not known
 * @param tool      the tool, {@code ""} when not known
 * @param model     the catalogue model, {@code ""} when not known; agent, tool and model key the
 *                  history read by {@link BudgetLedger#recentCosts}
 */
public record ReservationRequest(String budget, String periodKey, BigDecimal limitUsd, boolean enforce,
                                 BigDecimal amountUsd, String requestId, Instant now, Instant expiresAt,
                                 int attempt, String agent, String tool, String model) {
    public ReservationRequest {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(periodKey, "periodKey");
        Objects.requireNonNull(limitUsd, "limitUsd");
        Objects.requireNonNull(amountUsd, "amountUsd");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(model, "model");
        if (amountUsd.signum() < 0) {
            throw new IllegalArgumentException("amountUsd must be >= 0, was " + amountUsd);
        }
        if (!expiresAt.isAfter(now)) {
            throw new IllegalArgumentException("expiresAt must be after now");
        }
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be >= 0, was " + attempt);
        }
    }

    /** A request that does not say which call it is for (attempt 0, agent, tool and model unknown). */
    public ReservationRequest(String budget, String periodKey, BigDecimal limitUsd, boolean enforce,
                              BigDecimal amountUsd, String requestId, Instant now, Instant expiresAt) {
        this(budget, periodKey, limitUsd, enforce, amountUsd, requestId, now, expiresAt, 0, "", "", "");
    }

    /** Starts a request for room in {@code budget}'s period {@code periodKey}. */
    public static Builder builder(String budget, String periodKey) {
        return new Builder(budget, periodKey);
    }

    /**
     * Builds a {@link ReservationRequest}; {@code limitUsd}, {@code amountUsd}, {@code now} and
     * {@code expiresAt} are required, {@code enforce} defaults to true. Not thread-safe.
     */
    public static final class Builder {
        private final String budget;
        private final String periodKey;
        private BigDecimal limitUsd;
        private boolean enforce = true;
        private BigDecimal amountUsd;
        private String requestId = "";
        private int attempt;
        private String agent = "";
        private String tool = "";
        private String model = "";
        private Instant now;
        private Instant expiresAt;

        private Builder(String budget, String periodKey) {
            this.budget = Objects.requireNonNull(budget, "budget");
            this.periodKey = Objects.requireNonNull(periodKey, "periodKey");
        }

        public Builder limitUsd(BigDecimal limitUsd) {
            this.limitUsd = limitUsd;
            return this;
        }

        public Builder enforce(boolean enforce) {
            this.enforce = enforce;
            return this;
        }

        public Builder amountUsd(BigDecimal amountUsd) {
            this.amountUsd = amountUsd;
            return this;
        }

        /** The call the room is for: its request id, attempt number (0 = not known), agent, tool and model. */
        public Builder call(String requestId, int attempt, String agent, String tool, String model) {
            this.requestId = requestId;
            this.attempt = attempt;
            this.agent = agent;
            this.tool = tool;
            this.model = model;
            return this;
        }

        public Builder now(Instant now) {
            this.now = now;
            return this;
        }

        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        public ReservationRequest build() {
            return new ReservationRequest(budget, periodKey, limitUsd, enforce, amountUsd, requestId, now, expiresAt,
                    attempt, agent, tool, model);
        }
    }
}
