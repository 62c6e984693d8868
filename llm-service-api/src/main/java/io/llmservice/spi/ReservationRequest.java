package io.llmservice.spi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * Asks a {@link BudgetLedger} to hold room for one call.
 *
 * @param budget    the budget's name
 * @param periodKey the period the call falls in, e.g. {@code daily:2026-12-01}
 * @param limitUsd  the budget's limit
 * @param enforce   true for a hard limit (refuse when spent + reserved + amount would exceed the
 *                  limit); false for a soft one (always granted)
 * @param amountUsd the estimated cost to reserve, &ge; 0
 * @param requestId the request, for diagnostics
 * @param now       the current time (from the service clock)
 * @param expiresAt when the reservation stops counting if neither settled nor released (a
 *                  crashed process's reservations expire this way)
 */
public record ReservationRequest(String budget, String periodKey, BigDecimal limitUsd, boolean enforce,
                                 BigDecimal amountUsd, String requestId, Instant now, Instant expiresAt) {
    public ReservationRequest {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(periodKey, "periodKey");
        Objects.requireNonNull(limitUsd, "limitUsd");
        Objects.requireNonNull(amountUsd, "amountUsd");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (amountUsd.signum() < 0) {
            throw new IllegalArgumentException("amountUsd must be >= 0, was " + amountUsd);
        }
        if (!expiresAt.isAfter(now)) {
            throw new IllegalArgumentException("expiresAt must be after now");
        }
    }
}
