package io.llmservice.core.internal.budget;

import io.llmservice.BudgetExceededException;
import io.llmservice.config.BudgetDefinition;
import io.llmservice.config.BudgetPeriod;
import io.llmservice.config.LimitType;
import io.llmservice.config.OnExceed;
import io.llmservice.config.Scope;
import io.llmservice.config.ScopeKind;
import io.llmservice.core.internal.MutableClock;
import io.llmservice.core.internal.telemetry.InMemoryTelemetryStore;
import io.llmservice.spi.BudgetContext;
import io.llmservice.spi.BudgetRequest;
import io.llmservice.spi.BudgetReservation;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LimitBudgetPolicyTest {
    private final InMemoryTelemetryStore store = new InMemoryTelemetryStore();
    private final MutableClock clock = MutableClock.at("2026-12-01T10:00:00Z");
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    private LimitBudgetPolicy policy(String limit, LimitType type, String warnAt, ZoneId zone) {
        BudgetDefinition d = new BudgetDefinition("team-daily", "limit", new Scope(Map.of(ScopeKind.TEAM, "platform")),
                BudgetPeriod.DAILY, new BigDecimal(limit), type, new BigDecimal(warnAt), OnExceed.BLOCK);
        return new LimitBudgetPolicy(d, new BudgetContext(store, clock, zone, warnings::add));
    }

    private LimitBudgetPolicy hard(String limit) {
        return policy(limit, LimitType.HARD, "0.8", ZoneOffset.UTC);
    }

    private static BudgetRequest request(String usd) {
        return new BudgetRequest("req", "reviewer", Optional.of("platform"), "claude", "sonnet", new BigDecimal(usd),
                Duration.ofMinutes(10));
    }

    @Test
    void applies_matchesScopeOnly() {
        LimitBudgetPolicy p = hard("1");
        assertThat(p.applies(request("0.1"))).isTrue();
        assertThat(p.applies(new BudgetRequest("r", "a", Optional.of("other"), "claude", "sonnet", BigDecimal.ONE,
                Duration.ofMinutes(1)))).isFalse();
        assertThat(p.applies(new BudgetRequest("r", "a", Optional.empty(), "claude", "sonnet", BigDecimal.ONE,
                Duration.ofMinutes(1)))).isFalse();
    }

    @Test
    void hard_refusesWhatWouldExceed_withExactFigures_andReservesNothing() {
        LimitBudgetPolicy p = hard("1.00");
        p.reserve(request("0.60")).settle(new BigDecimal("0.60"));
        p.reserve(request("0.30"));

        assertThatThrownBy(() -> p.reserve(request("0.20"))).isInstanceOfSatisfying(BudgetExceededException.class,
                e -> {
                    assertThat(e.getMessage()).isEqualTo("budget 'team-daily' (daily 2026-12-01) refused the request:"
                            + " limit $1.00, spent $0.60, reserved $0.30, this request needs ~$0.20");
                    assertThat(e.policy()).isEqualTo("team-daily");
                    assertThat(e.period()).isEqualTo("daily 2026-12-01");
                    assertThat(e.spentUsd()).isEqualByComparingTo("0.60");
                    assertThat(e.reservedUsd()).isEqualByComparingTo("0.30");
                });
        assertThat(store.ledger().liveReservations()).isEqualTo(1);
        // exactly filling the limit is allowed
        p.reserve(request("0.10"));
        assertThat(store.ledger().liveReservations()).isEqualTo(2);
    }

    @Test
    void release_givesRoomBack_andSettleAfterReleaseDoesNothing() {
        LimitBudgetPolicy p = hard("1");
        BudgetReservation r = p.reserve(request("1"));
        r.release();
        r.settle(new BigDecimal("1"));
        r.release();
        assertThat(store.ledger().liveReservations()).isZero();
        assertThat(store.ledger().standing("team-daily", "daily:2026-12-01", clock.instant()).spentUsd())
                .isEqualByComparingTo("0");
        p.reserve(request("1"));
    }

    @Test
    void staleReservation_isChargedAsSpentAfterTimeoutPlusMargin() {
        LimitBudgetPolicy p = hard("1");
        p.reserve(request("0.6")); // the process "dies": never settled nor released
        assertThatThrownBy(() -> p.reserve(request("0.5"))).isInstanceOf(BudgetExceededException.class)
                .hasMessageContaining("spent $0, reserved $0.6");

        clock.advance(Duration.ofMinutes(10).plus(LimitBudgetPolicy.EXPIRY_MARGIN).minusSeconds(1));
        assertThatThrownBy(() -> p.reserve(request("0.5"))).isInstanceOf(BudgetExceededException.class)
                .hasMessageContaining("spent $0, reserved $0.6");

        clock.advance(Duration.ofSeconds(1));
        // charged at its reserved amount, not forgotten: the room does not come back
        assertThatThrownBy(() -> p.reserve(request("0.5"))).isInstanceOf(BudgetExceededException.class)
                .hasMessageContaining("spent $0.6, reserved $0");
        p.reserve(request("0.4"));
    }

    @Test
    void newPeriod_startsFromZero_inTheConfiguredZone() {
        LimitBudgetPolicy p = policy("1", LimitType.HARD, "0.8", ZoneId.of("Europe/Berlin"));
        clock.set(java.time.Instant.parse("2026-11-30T22:30:00Z")); // 23:30 in Berlin, Nov 30
        p.reserve(request("1")).settle(BigDecimal.ONE);
        assertThatThrownBy(() -> p.reserve(request("0.01"))).isInstanceOf(BudgetExceededException.class)
                .hasMessageContaining("(daily 2026-11-30)");
        clock.set(java.time.Instant.parse("2026-11-30T23:00:00Z")); // midnight in Berlin
        p.reserve(request("1")).settle(BigDecimal.ONE);
        assertThat(store.ledger().standing("team-daily", "daily:2026-12-01", clock.instant()).spentUsd())
                .isEqualByComparingTo("1");
    }

    @Test
    void soft_alwaysReserves_andWarnsOncePerCrossing() {
        LimitBudgetPolicy p = policy("1.00", LimitType.SOFT, "0.5", ZoneOffset.UTC);
        for (int i = 0; i < 5; i++) {
            p.reserve(request("0.30")).settle(new BigDecimal("0.30"));
        }
        assertThat(warnings).containsExactly(
                "budget 'team-daily' (daily 2026-12-01) reached 50% of its soft limit of $1.00:"
                        + " committed $0.60 (spent $0.30, reserved $0.30)",
                "budget 'team-daily' (daily 2026-12-01) is over its soft limit of $1.00:"
                        + " committed $1.20 (spent $0.90, reserved $0.30)");
    }

    @Test
    void crossingUndoneByReleaseAndRepeated_isReportedOnce() {
        LimitBudgetPolicy p = policy("1.00", LimitType.SOFT, "0.5", ZoneOffset.UTC);
        p.reserve(request("0.60")).release();
        p.reserve(request("0.60")).release();
        assertThat(warnings).hasSize(1);
    }

    @Test
    void overrunAtSettle_thatCrossesALevel_warns() {
        LimitBudgetPolicy p = policy("1.00", LimitType.HARD, "0.8", ZoneOffset.UTC);
        p.reserve(request("0.10")).settle(new BigDecimal("1.05"));
        assertThat(warnings).containsExactly(
                "budget 'team-daily' (daily 2026-12-01) reached 80% of its hard limit of $1.00:"
                        + " committed $1.05 (spent $1.05, reserved $0)",
                "budget 'team-daily' (daily 2026-12-01) is over its hard limit of $1.00:"
                        + " committed $1.05 (spent $1.05, reserved $0)");
    }

    @Test
    void provider_isTypeLimit() {
        assertThat(new LimitBudgetPolicyProvider().type()).isEqualTo("limit");
    }
}
