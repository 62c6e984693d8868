package io.llmservice.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * The ledger's answer to a {@link ReservationRequest}.
 *
 * <pre>{@code
 * ReservationOutcome o = ledger.reserve(request);
 * if (!o.granted()) {
 *     BudgetStanding s = o.before();
 *     throw new IllegalStateException(s.budget() + " has $" + s.committedUsd() + " committed already");
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param granted       whether the room was reserved
 * @param reservationId the reservation to settle or release, when granted
 * @param before        the budget's standing just before this reservation, in the same atomic step
 */
public record ReservationOutcome(boolean granted, Optional<String> reservationId, BudgetStanding before) {
    public ReservationOutcome {
        Objects.requireNonNull(reservationId, "reservationId");
        Objects.requireNonNull(before, "before");
        if (granted != reservationId.isPresent()) {
            throw new IllegalArgumentException("a granted outcome has a reservation id, a refused one none");
        }
    }
}
