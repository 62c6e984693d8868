package io.llmservice.core.internal.budget;

import io.llmservice.BudgetExceededException;
import io.llmservice.config.BudgetDefinition;
import io.llmservice.config.LimitType;
import io.llmservice.spi.BudgetContext;
import io.llmservice.spi.BudgetLedger;
import io.llmservice.spi.BudgetPolicy;
import io.llmservice.spi.BudgetRequest;
import io.llmservice.spi.BudgetReservation;
import io.llmservice.spi.BudgetStanding;
import io.llmservice.spi.ReservationOutcome;
import io.llmservice.spi.ReservationRequest;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The built-in {@code limit} budget: a spend limit per day, ISO week or month in
 * {@code policies.timezone}, over the calls its scope matches.
 *
 * <p>{@link #reserve} is one call to {@link BudgetLedger#reserve}, which checks and reserves
 * atomically in the store: a hard limit refuses when spent + live reservations + this estimate
 * would exceed it (and then nothing is reserved); a soft limit always reserves. Either kind warns
 * when its committed amount (spent + reserved) crosses {@code warn_at} × limit, and again when it
 * crosses the limit itself (for a hard limit only an overrun at settle time can do that). A crossing
 * is decided from the standing just before and just after the change, which the ledger reports from
 * the same atomic step, so concurrent calls never both see the same crossing; a crossing that
 * recurs in the same period (a reservation that crossed was released, then another crosses) is not
 * reported again by this process.
 *
 * <p>A reservation expires {@link #EXPIRY_MARGIN} after the call's longest possible run. The ledger
 * then charges it as spent (a process that died mid-call may well have paid for the call): at the
 * cost its invocation record shows, else at the reserved amount.
 *
 * <p>Thread-safe.
 */
public final class LimitBudgetPolicy implements BudgetPolicy {
    /** How long after the call's timeout an unsettled reservation still counts. */
    public static final Duration EXPIRY_MARGIN = Duration.ofMinutes(1);

    private final BudgetDefinition definition;
    private final BudgetLedger ledger;
    private final Clock clock;
    private final ZoneId zone;
    private final BudgetContext context;
    private final Crossings crossings = new Crossings();

    public LimitBudgetPolicy(BudgetDefinition definition, BudgetContext context) {
        this.definition = Objects.requireNonNull(definition, "definition");
        this.context = Objects.requireNonNull(context, "context");
        this.ledger = context.store().ledger();
        this.clock = context.clock();
        this.zone = context.zone();
    }

    @Override
    public String name() {
        return definition.name();
    }

    public BudgetDefinition definition() {
        return definition;
    }

    @Override
    public boolean applies(BudgetRequest request) {
        return definition.scope().matches(request.agent(), request.team().orElse(null), request.tool(),
                request.model());
    }

    @Override
    public BudgetReservation reserve(BudgetRequest request) {
        Instant now = clock.instant();
        BudgetWindow window = BudgetWindow.containing(definition.period(), now, zone);
        BigDecimal amount = request.estimatedUsd();
        ReservationOutcome outcome = ledger.reserve(ReservationRequest.builder(definition.name(), window.key())
                .limitUsd(definition.limitUsd()).enforce(definition.limitType() == LimitType.HARD).amountUsd(amount)
                .call(request.requestId(), request.attempt(), request.agent(), request.tool(), request.model())
                .now(now).expiresAt(now.plus(request.maxDuration()).plus(EXPIRY_MARGIN))
                .build());
        BudgetStanding before = outcome.before();
        if (!outcome.granted()) {
            throw new BudgetExceededException(definition.name(), window.label(), definition.limitUsd(),
                    before.spentUsd(), before.reservedUsd(), amount);
        }
        BudgetStanding after = before.withReservedUsd(before.reservedUsd().add(amount));
        warnOnCrossing(window, before.committedUsd(), after);
        return new Reservation(outcome.reservationId().orElseThrow(), amount, window);
    }

    private void warnOnCrossing(BudgetWindow window, BigDecimal committedBefore, BudgetStanding after) {
        BigDecimal limit = definition.limitUsd();
        BigDecimal warnLevel = limit.multiply(definition.warnAt());
        BigDecimal committedAfter = after.committedUsd();
        // warn_at is "reached" (>=); the limit is "crossed" only when exceeded (>).
        if (committedBefore.compareTo(warnLevel) < 0 && committedAfter.compareTo(warnLevel) >= 0
                && crossings.firstTime(window.key(), Crossings.Level.WARN_AT)) {
            context.warn("budget '" + definition.name() + "' (" + window.label() + ") reached "
                    + percent(definition.warnAt()) + " of its " + definition.limitType().yamlName() + " limit of $"
                    + limit.toPlainString() + ": " + committed(after));
        }
        if (committedBefore.compareTo(limit) <= 0 && committedAfter.compareTo(limit) > 0
                && crossings.firstTime(window.key(), Crossings.Level.LIMIT)) {
            context.warn("budget '" + definition.name() + "' (" + window.label() + ") is over its "
                    + definition.limitType().yamlName() + " limit of $" + limit.toPlainString() + ": "
                    + committed(after));
        }
    }

    private static String committed(BudgetStanding s) {
        return "committed $" + s.committedUsd().toPlainString() + " (spent $" + s.spentUsd().toPlainString()
                + ", reserved $" + s.reservedUsd().toPlainString() + ")";
    }

    private static String percent(BigDecimal fraction) {
        return fraction.movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }

    @Override
    public String toString() {
        return "LimitBudgetPolicy{" + definition.name() + ", " + definition.scope() + ", "
                + definition.period().yamlName() + ", $" + definition.limitUsd().toPlainString() + " "
                + definition.limitType().yamlName() + "}";
    }

    /**
     * One reservation; the first settle or release that reaches the ledger wins, later ones do nothing.
     * One that throws leaves the reservation open, so that it can be tried again.
     */
    private final class Reservation implements BudgetReservation {
        private final String id;
        private final BigDecimal amount;
        private final BudgetWindow window;
        private final AtomicBoolean done = new AtomicBoolean();

        Reservation(String id, BigDecimal amount, BudgetWindow window) {
            this.id = id;
            this.amount = amount;
            this.window = window;
        }

        @Override
        public BigDecimal reservedUsd() {
            return amount;
        }

        @Override
        public void settle(BigDecimal actualUsd) {
            Objects.requireNonNull(actualUsd, "actualUsd");
            if (!done.compareAndSet(false, true)) {
                return;
            }
            try {
                ledger.settle(id, actualUsd);
            } catch (RuntimeException e) {
                // Not settled: the service may try again (the ledger applies a settle once, by id).
                done.set(false);
                throw e;
            }
            BigDecimal overrun = actualUsd.subtract(amount);
            if (overrun.signum() > 0) {
                // Only an overrun can raise the committed amount at settle time, so only then can a
                // threshold be crossed here.
                BudgetStanding after = ledger.standing(definition.name(), window.key(), clock.instant());
                warnOnCrossing(window, after.committedUsd().subtract(overrun), after);
            }
        }

        @Override
        public void release() {
            if (done.compareAndSet(false, true)) {
                try {
                    ledger.release(id);
                } catch (RuntimeException e) {
                    done.set(false);
                    throw e;
                }
            }
        }
    }
}
