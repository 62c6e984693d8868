package io.llmservice.testkit;

import io.llmservice.BudgetExceededException;
import io.llmservice.spi.BudgetContext;
import io.llmservice.spi.BudgetLedger;
import io.llmservice.spi.BudgetPolicy;
import io.llmservice.spi.BudgetRequest;
import io.llmservice.spi.BudgetReservation;
import io.llmservice.spi.BudgetStanding;
import io.llmservice.spi.ReservationOutcome;
import io.llmservice.spi.ReservationRequest;
import io.llmservice.spi.TelemetryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract every {@link BudgetPolicy} must keep, as JUnit 5 tests. Extend it and say how to
 * open a fresh store and how to create a policy that limits every call's spend in the current
 * period:
 *
 * <pre>{@code
 * class MyBudgetContractTest extends AbstractBudgetPolicyContractTest {
 *     protected TelemetryStore createStore(Clock clock) { return new MyStore(clock); }
 *     protected BudgetPolicy createPolicy(BigDecimal limitUsd, BudgetContext context) {
 *         return new MyBudget("contract", limitUsd, context);
 *     }
 * }
 * }</pre>
 *
 * <p>The policy is handed a {@link BudgetContext} whose store records every call into its
 * {@link BudgetLedger}. Checked: a granted reservation holds exactly its amount in the ledger
 * (one reserve call); it is settled or released exactly once in the ledger however often
 * {@link BudgetReservation#settle} and {@link BudgetReservation#release} are called (release after
 * settle keeps the spend, settle after release charges nothing); a call that would pass the limit
 * is refused with {@link BudgetExceededException} from {@code reserve} — before anything runs —
 * naming the budget and its limit, and holds nothing; room given back by a release can be reserved
 * again; under 32 threads reserving at once, exactly the calls that fit are granted, the settled
 * spend equals the limit and no reservation is left. Stores created here are closed after each
 * test.
 *
 * <p>Not thread-safe; JUnit creates one instance per test method.
 */
public abstract class AbstractBudgetPolicyContractTest {
    /** The fixed time of the tests: Tuesday 2026-12-01 10:00 UTC. */
    protected static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final List<TelemetryStore> created = new ArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private RecordingLedger ledger;

    /** A new, empty store whose time-dependent parts use {@code clock}. */
    protected abstract TelemetryStore createStore(Clock clock);

    /**
     * A policy named as it likes that applies to every call and refuses a reservation that would
     * take the spend plus live reservations of the current period past {@code limitUsd}.
     */
    protected abstract BudgetPolicy createPolicy(BigDecimal limitUsd, BudgetContext context);

    @AfterEach
    void closeStores() {
        created.forEach(TelemetryStore::close);
    }

    /** A policy with this limit over a fresh store on a fixed clock at {@link #T0}. */
    private BudgetPolicy policy(String limitUsd) {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        TelemetryStore store = createStore(clock);
        created.add(store);
        ledger = new RecordingLedger(store.ledger());
        BudgetContext context = new BudgetContext(new RecordingStore(store, ledger), clock, ZoneOffset.UTC,
                warnings::add);
        return createPolicy(new BigDecimal(limitUsd), context);
    }

    private static BudgetRequest call(String requestId, String estimatedUsd) {
        return new BudgetRequest(requestId, "contract-agent", Optional.of("contract-team"), "contract-tool",
                "contract-model", new BigDecimal(estimatedUsd), Duration.ofMinutes(5), 1);
    }

    @Test
    void policy_appliesToEveryCall_andHasAName() {
        BudgetPolicy p = policy("1.00");
        assertThat(p.name()).isNotBlank();
        assertThat(p.applies(call("r1", "0.10"))).isTrue();
    }

    @Test
    void reserve_holdsItsAmountInTheLedger_inOneReserveCall() {
        BudgetPolicy p = policy("1.00");
        BudgetReservation r = p.reserve(call("r1", "0.25"));

        assertThat(ledger.reserves).hasSize(1);
        assertThat(ledger.reserves.get(0).enforce()).as("a limit that refuses is enforced by the ledger").isTrue();
        assertThat(r.reservedUsd()).isEqualByComparingTo("0.25");
        assertThat(standing().reservedUsd()).isEqualByComparingTo("0.25");
        assertThat(standing().spentUsd()).isEqualByComparingTo("0");
    }

    @Test
    void settle_chargesTheActualCostOnce_laterSettleAndReleaseChangeNothing() {
        BudgetPolicy p = policy("1.00");
        BudgetReservation r = p.reserve(call("r1", "0.25"));
        r.settle(new BigDecimal("0.40"));
        r.settle(new BigDecimal("0.90"));
        r.release();

        assertThat(standing().spentUsd()).isEqualByComparingTo("0.40");
        assertThat(standing().reservedUsd()).isEqualByComparingTo("0");
        assertThat(ledger.endings()).containsExactly("settle " + ledger.grantedIds().get(0) + " 0.40");
    }

    @Test
    void release_givesTheRoomBack_once_andSettleAfterItChargesNothing() {
        BudgetPolicy p = policy("1.00");
        BudgetReservation r = p.reserve(call("r1", "0.80"));
        r.release();
        r.release();
        r.settle(new BigDecimal("0.80"));

        assertThat(standing().spentUsd()).isEqualByComparingTo("0");
        assertThat(standing().reservedUsd()).isEqualByComparingTo("0");
        assertThat(ledger.endings()).containsExactly("release " + ledger.grantedIds().get(0));
        // the room is there again
        p.reserve(call("r2", "0.80")).settle(new BigDecimal("0.80"));
        assertThat(standing().spentUsd()).isEqualByComparingTo("0.80");
    }

    @Test
    void reserve_pastTheLimit_isRefusedBeforeAnythingRuns_andHoldsNothing() {
        BudgetPolicy p = policy("1.00");
        p.reserve(call("r1", "0.60")).settle(new BigDecimal("0.60"));
        p.reserve(call("r2", "0.30"));
        BudgetStanding before = standing();

        assertThatThrownBy(() -> p.reserve(call("r3", "0.20")))
                .isInstanceOfSatisfying(BudgetExceededException.class, e -> {
                    assertThat(e.policy()).isEqualTo(p.name());
                    assertThat(e.limitUsd()).isEqualByComparingTo("1.00");
                });
        assertThat(ledger.grantedIds()).as("only the first two were granted").hasSize(2);
        assertThat(standing()).isEqualTo(before);
        // what still fits is granted
        p.reserve(call("r4", "0.10"));
        assertThat(standing().committedUsd()).isEqualByComparingTo("1.00");
    }

    @Test
    void reserve_fromManyThreads_grantsExactlyWhatFits_andLeavesNoReservation() throws Exception {
        BudgetPolicy p = policy("0.10");
        int threads = 32;
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        StartTogether.run(threads, thread -> {
            try {
                BudgetReservation r = p.reserve(call("r" + thread, "0.01"));
                granted.incrementAndGet();
                try {
                    r.settle(new BigDecimal("0.01"));
                } finally {
                    r.release();
                }
            } catch (BudgetExceededException e) {
                refused.incrementAndGet();
            } catch (RuntimeException e) {
                unexpected.add(e);
            }
        });
        assertThat(unexpected).isEmpty();
        assertThat(granted.get()).isEqualTo(10);
        assertThat(refused.get()).isEqualTo(threads - 10);
        assertThat(standing().spentUsd()).isEqualByComparingTo("0.10");
        assertThat(standing().reservedUsd()).isEqualByComparingTo("0");
        assertThat(ledger.endings()).as("one ending per granted reservation").hasSize(10);
    }

    /** The standing of the period the policy reserved in, as the ledger reports it now. */
    private BudgetStanding standing() {
        assertThat(ledger.reserves).as("the policy reserved through the ledger").isNotEmpty();
        ReservationRequest first = ledger.reserves.get(0);
        return ledger.standing(first.budget(), first.periodKey(), T0);
    }

    /** Forwards to the store's ledger and records what the policy asked of it. */
    private static final class RecordingLedger implements BudgetLedger {
        private final BudgetLedger delegate;
        final List<ReservationRequest> reserves = new CopyOnWriteArrayList<>();
        private final List<String> granted = Collections.synchronizedList(new ArrayList<>());
        private final List<String> endingOrder = new CopyOnWriteArrayList<>();

        RecordingLedger(BudgetLedger delegate) {
            this.delegate = delegate;
        }

        List<String> grantedIds() {
            return List.copyOf(granted);
        }

        /** Every settle and release the policy passed on, in order. */
        List<String> endings() {
            return List.copyOf(endingOrder);
        }

        @Override
        public ReservationOutcome reserve(ReservationRequest request) {
            reserves.add(request);
            ReservationOutcome outcome = delegate.reserve(request);
            outcome.reservationId().ifPresent(granted::add);
            return outcome;
        }

        @Override
        public void settle(String reservationId, BigDecimal actualUsd) {
            end("settle " + reservationId + " " + actualUsd.toPlainString());
            delegate.settle(reservationId, actualUsd);
        }

        @Override
        public void release(String reservationId) {
            end("release " + reservationId);
            delegate.release(reservationId);
        }

        private void end(String what) {
            endingOrder.add(what);
        }

        @Override
        public BudgetStanding standing(String budget, String periodKey, Instant now) {
            return delegate.standing(budget, periodKey, now);
        }

        @Override
        public List<BigDecimal> recentCosts(String agent, String tool, String model, int limit) {
            return delegate.recentCosts(agent, tool, model, limit);
        }
    }

    /** The store under test, with its ledger recorded. */
    private static final class RecordingStore extends ForwardingTelemetryStore {
        private final BudgetLedger ledger;

        RecordingStore(TelemetryStore delegate, BudgetLedger ledger) {
            super(delegate);
            this.ledger = ledger;
        }

        @Override
        public BudgetLedger ledger() {
            return ledger;
        }
    }
}
