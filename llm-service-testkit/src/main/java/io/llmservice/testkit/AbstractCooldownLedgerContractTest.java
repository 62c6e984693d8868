package io.llmservice.testkit;

import io.llmservice.spi.CooldownEntry;
import io.llmservice.spi.CooldownKey;
import io.llmservice.spi.CooldownLedger;
import io.llmservice.spi.TelemetryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract every {@link CooldownLedger} must keep, as JUnit 5 tests. Extend it and say how to
 * open a fresh, empty store that keeps cooldowns:
 *
 * <pre>{@code
 * class MyStoreCooldownContractTest extends AbstractCooldownLedgerContractTest {
 *     protected TelemetryStore createStore() { return new MyStore(Clock.systemUTC()); }
 * }
 * }</pre>
 *
 * <p>Checked: failures are counted per tool/model pair and a cooldown starts when the count
 * reaches {@code after}, ending {@code coolFor} after the failure that started it; each fingerprint
 * of a pair counts apart (two projects sharing a store) and a success forgets its own fingerprint's
 * entry only; a failure purges other entries whose cooldown has ended; reset forgets one pair,
 * one tool's pairs or every pair; two stores opened on the same place (two processes, for a shared
 * store) see each other's entries; 16 threads counting the same pair at once lose no failure.
 * Stores created here are closed after each test.
 *
 * <p>Not thread-safe; JUnit creates one instance per test method.
 */
public abstract class AbstractCooldownLedgerContractTest {
    /** The fixed time of the tests. */
    protected static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);
    private static final CooldownKey CODEX = new CooldownKey("codex", "gpt-5", "fp-1");

    private final List<TelemetryStore> created = new ArrayList<>();

    /** A new, empty store whose {@link TelemetryStore#cooldowns()} is present. */
    protected abstract TelemetryStore createStore();

    /**
     * A second store on the same place as {@code first}, as another process would open it; empty when
     * the store is not shared between processes (the test of sharing is then skipped).
     */
    protected Optional<TelemetryStore> openAgain(TelemetryStore first) {
        return Optional.empty();
    }

    private CooldownLedger ledger() {
        TelemetryStore s = createStore();
        created.add(s);
        return s.cooldowns().orElseThrow(() -> new AssertionError(s + " keeps no cooldowns"));
    }

    @AfterEach
    void closeStores() {
        created.forEach(TelemetryStore::close);
    }

    @Test
    void failed_countsUpToAfter_thenCoolsDownFromTheLastFailure() {
        CooldownLedger ledger = ledger();

        CooldownEntry first = ledger.failed(CODEX, "HTTP 429", 3, FIVE_MINUTES, T0);
        CooldownEntry second = ledger.failed(CODEX, "HTTP 503", 3, FIVE_MINUTES, T0.plusSeconds(1));
        CooldownEntry third = ledger.failed(CODEX, "HTTP 429", 3, FIVE_MINUTES, T0.plusSeconds(2));

        assertThat(first.failures()).isEqualTo(1);
        assertThat(first.until()).isEmpty();
        assertThat(second.failures()).isEqualTo(2);
        assertThat(second.until()).isEmpty();
        assertThat(third).isEqualTo(new CooldownEntry(CODEX, 3, "HTTP 429",
                Optional.of(T0.plusSeconds(2).plus(FIVE_MINUTES))));
        assertThat(ledger.entries()).containsExactly(third);
        assertThat(third.coolingAt(T0.plusSeconds(2).plus(FIVE_MINUTES).minusMillis(1))).isTrue();
        assertThat(third.coolingAt(T0.plusSeconds(2).plus(FIVE_MINUTES))).isFalse();
    }

    @Test
    void failed_afterOne_coolsDownAtOnce() {
        CooldownLedger ledger = ledger();

        CooldownEntry e = ledger.failed(CODEX, "authentication failed (HTTP 401)", 1, Duration.ofHours(1), T0);

        assertThat(e.until()).contains(T0.plus(Duration.ofHours(1)));
        assertThat(ledger.entries()).containsExactly(e);
    }

    @Test
    void failed_afterTheCooldownEnded_startsANewOneAtTheNextFailure() {
        CooldownLedger ledger = ledger();
        for (int i = 0; i < 3; i++) {
            ledger.failed(CODEX, "HTTP 500", 3, FIVE_MINUTES, T0);
        }

        Instant later = T0.plus(Duration.ofMinutes(6));
        CooldownEntry again = ledger.failed(CODEX, "HTTP 500", 3, FIVE_MINUTES, later);

        assertThat(again.failures()).isEqualTo(4);
        assertThat(again.until()).contains(later.plus(FIVE_MINUTES));
    }

    @Test
    void failed_underAnotherFingerprint_countsApart_andLeavesTheFirstOne() {
        CooldownLedger ledger = ledger();
        CooldownEntry auth = ledger.failed(CODEX, "authentication failed", 1, FIVE_MINUTES, T0);

        CooldownKey otherProject = new CooldownKey("codex", "gpt-5", "fp-2");
        CooldownEntry first = ledger.failed(otherProject, "HTTP 429", 3, FIVE_MINUTES, T0.plusSeconds(1));
        CooldownEntry second = ledger.failed(otherProject, "HTTP 429", 3, FIVE_MINUTES, T0.plusSeconds(2));

        assertThat(first).isEqualTo(new CooldownEntry(otherProject, 1, "HTTP 429", Optional.empty()));
        assertThat(second.failures()).isEqualTo(2);
        assertThat(ledger.entries()).containsExactly(auth, second);
    }

    @Test
    void succeeded_underOneFingerprint_leavesTheOtherFingerprintsCooldown() {
        CooldownLedger ledger = ledger();
        CooldownEntry auth = ledger.failed(CODEX, "authentication failed", 1, FIVE_MINUTES, T0);
        CooldownKey otherProject = new CooldownKey("codex", "gpt-5", "fp-2");
        ledger.failed(otherProject, "HTTP 429", 3, FIVE_MINUTES, T0);

        ledger.succeeded(otherProject);

        assertThat(ledger.entries()).containsExactly(auth);
    }

    @Test
    void failed_purgesOtherKeysWhoseCooldownEnded_andKeepsCountingOnesAndCoolingOnes() {
        CooldownLedger ledger = ledger();
        ledger.failed(new CooldownKey("codex", "gpt-5", "fp-old"), "HTTP 429", 1, FIVE_MINUTES, T0);
        CooldownEntry counting = ledger.failed(new CooldownKey("codex", "gpt-5", "fp-2"), "HTTP 500", 3,
                FIVE_MINUTES, T0);
        CooldownEntry cooling = ledger.failed(new CooldownKey("gemini", "gemini-2.5-pro", "fp-3"), "HTTP 429", 1,
                Duration.ofHours(1), T0);

        CooldownEntry now = ledger.failed(CODEX, "HTTP 429", 3, FIVE_MINUTES, T0.plus(FIVE_MINUTES));

        assertThat(ledger.entries()).containsExactly(now, counting, cooling);
    }

    @Test
    void succeeded_forgetsThePairOnly() {
        CooldownLedger ledger = ledger();
        CooldownKey mini = new CooldownKey("codex", "gpt-5-codex-mini", "fp-1");
        ledger.failed(CODEX, "HTTP 429", 3, FIVE_MINUTES, T0);
        ledger.failed(CODEX, "HTTP 429", 3, FIVE_MINUTES, T0);
        CooldownEntry other = ledger.failed(mini, "HTTP 429", 3, FIVE_MINUTES, T0);

        ledger.succeeded(CODEX);

        assertThat(ledger.entries()).containsExactly(other);
        assertThat(ledger.failed(CODEX, "HTTP 429", 3, FIVE_MINUTES, T0).failures()).isEqualTo(1);
    }

    @Test
    void reset_byPairToolOrAll() {
        CooldownLedger ledger = ledger();
        CooldownKey mini = new CooldownKey("codex", "gpt-5-codex-mini", "fp-1");
        CooldownKey claude = new CooldownKey("claude-code", "claude-sonnet-4-5", "fp-9");
        ledger.failed(CODEX, "HTTP 429", 1, FIVE_MINUTES, T0);
        ledger.failed(mini, "HTTP 429", 1, FIVE_MINUTES, T0);
        CooldownEntry c = ledger.failed(claude, "HTTP 529", 1, FIVE_MINUTES, T0);

        assertThat(ledger.reset("codex", "gpt-5")).isEqualTo(1);
        assertThat(ledger.entries()).extracting(e -> e.key().model()).containsExactly("claude-sonnet-4-5",
                "gpt-5-codex-mini");
        assertThat(ledger.reset("codex", null)).isEqualTo(1);
        assertThat(ledger.entries()).containsExactly(c);
        assertThat(ledger.reset("nothing-here", null)).isZero();
        assertThat(ledger.reset(null, null)).isEqualTo(1);
        assertThat(ledger.entries()).isEmpty();
    }

    @Test
    void twoStoresOnOnePlace_shareTheirCooldowns() {
        TelemetryStore first = createStore();
        created.add(first);
        Optional<TelemetryStore> again = openAgain(first);
        org.junit.jupiter.api.Assumptions.assumeTrue(again.isPresent(), "this store is not shared between processes");
        created.add(again.get());
        CooldownLedger one = first.cooldowns().orElseThrow();
        CooldownLedger two = again.get().cooldowns().orElseThrow();

        one.failed(CODEX, "HTTP 429", 2, FIVE_MINUTES, T0);
        CooldownEntry e = two.failed(CODEX, "HTTP 429", 2, FIVE_MINUTES, T0.plusSeconds(1));

        assertThat(e.until()).contains(T0.plusSeconds(1).plus(FIVE_MINUTES));
        assertThat(one.entries()).containsExactly(e);
        assertThat(one.reset(null, null)).isEqualTo(1);
        assertThat(two.entries()).isEmpty();
    }

    @Test
    void failed_sixteenThreadsAtOnce_loseNoFailure() throws Exception {
        CooldownLedger ledger = ledger();

        StartTogether.run(16, thread -> ledger.failed(CODEX, "HTTP 429", 100, FIVE_MINUTES, T0));

        assertThat(ledger.entries()).singleElement().satisfies(e -> assertThat(e.failures()).isEqualTo(16));
    }
}
