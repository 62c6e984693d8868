package io.llmservice.core.internal.cooldown;

import io.llmservice.Candidate;
import io.llmservice.ErrorCode;
import io.llmservice.RoutePlan;
import io.llmservice.ToolReportedErrorException;
import io.llmservice.config.CooldownPolicy;
import io.llmservice.config.ToolDefinition;
import io.llmservice.core.internal.ManualTicker;
import io.llmservice.core.internal.MutableClock;
import io.llmservice.spi.CooldownEntry;
import io.llmservice.spi.CooldownKey;
import io.llmservice.spi.CooldownLedger;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@link Cooldowns} asks of its ledger, which for H2 is a round trip to the store's daemon each time. */
class CooldownsTest {
    private static final ToolDefinition CLAUDE = ToolDefinition.builder().name("claude").type("scripted")
            .binary("claude").model("sonnet", "sonnet").build();
    private static final ToolDefinition CODEX = ToolDefinition.builder().name("codex").type("scripted")
            .binary("codex").model("gpt", "gpt").build();
    private static final ToolReportedErrorException RATE_LIMITED = new ToolReportedErrorException(
            ErrorCode.TOOL_REPORTED_ERROR, "claude", "reported a transient error: rate_limit_error (HTTP 429)", 429, 1,
            true);

    /** Counts the calls that would be round trips. */
    private static final class CountingLedger implements CooldownLedger {
        final InMemoryCooldownLedger inner = new InMemoryCooldownLedger();
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger deletes = new AtomicInteger();

        @Override
        public CooldownEntry failed(CooldownKey key, String reason, int after, Duration coolFor, Instant now) {
            return inner.failed(key, reason, after, coolFor, now);
        }

        @Override
        public void succeeded(CooldownKey key) {
            deletes.incrementAndGet();
            inner.succeeded(key);
        }

        @Override
        public List<CooldownEntry> entries() {
            reads.incrementAndGet();
            return inner.entries();
        }

        @Override
        public int reset(String tool, String model) {
            return inner.reset(tool, model);
        }
    }

    private final CountingLedger ledger = new CountingLedger();
    private final MutableClock clock = MutableClock.at("2026-12-01T10:00:00Z");
    private final ManualTicker ticker = new ManualTicker();
    private final Cooldowns cooldowns = new Cooldowns(CooldownPolicy.defaults(), ledger, clock, ticker,
            List.of(CLAUDE, CODEX));

    private static RoutePlan plan() {
        return new RoutePlan("reviewer", "preference", 100, List.of(
                new Candidate("claude", "sonnet", Candidate.Status.CHOSEN, "preferred"),
                new Candidate("codex", "gpt", Candidate.Status.FALLBACK, "fallback 1")));
    }

    @Test
    void apply_readsTheLedgerAtMostOnceASecond_andSeesAnotherProcesssCooldownAfterIt() {
        for (int i = 0; i < 50; i++) {
            assertThat(cooldowns.apply(plan())).isEqualTo(plan());
        }
        assertThat(ledger.reads).hasValue(1);

        // another process starts a cooldown of claude/sonnet under the same configuration
        ledger.inner.failed(new CooldownKey("claude", "sonnet", ToolFingerprint.of(CLAUDE)), "HTTP 429", 1,
                Duration.ofMinutes(5), clock.instant());
        assertThat(cooldowns.apply(plan()).chosen()).get().extracting(Candidate::tool).isEqualTo("claude");
        ticker.advance(Cooldowns.FRESH_FOR);

        assertThat(cooldowns.apply(plan()).chosen()).get().extracting(Candidate::tool).isEqualTo("codex");
        assertThat(ledger.reads).hasValue(2);
    }

    @Test
    void aFailureCountedHere_isSeenAtOnce() {
        cooldowns.apply(plan());
        cooldowns.attempted("claude", "sonnet", Optional.of(RATE_LIMITED));
        cooldowns.attempted("claude", "sonnet", Optional.of(RATE_LIMITED));
        cooldowns.attempted("claude", "sonnet", Optional.of(RATE_LIMITED));

        assertThat(cooldowns.apply(plan()).chosen()).get().extracting(Candidate::tool).isEqualTo("codex");
    }

    @Test
    void success_deletesOnlyWhenThereMayBeAnEntry() {
        cooldowns.apply(plan());
        for (int i = 0; i < 20; i++) {
            cooldowns.attempted("codex", "gpt", Optional.empty());
        }
        assertThat(ledger.deletes).hasValue(0);

        cooldowns.attempted("claude", "sonnet", Optional.of(RATE_LIMITED));
        cooldowns.attempted("claude", "sonnet", Optional.empty());
        cooldowns.attempted("claude", "sonnet", Optional.empty());

        assertThat(ledger.deletes).hasValue(1);
        assertThat(ledger.inner.entries()).isEmpty();
    }

    @Test
    void success_forgetsAnEntryAnotherProcessWrote_whenTheLastReadShowedIt() {
        CooldownKey key = new CooldownKey("codex", "gpt", ToolFingerprint.of(CODEX));
        ledger.inner.failed(key, "HTTP 500", 3, Duration.ofMinutes(5), clock.instant());
        cooldowns.apply(plan());

        cooldowns.attempted("codex", "gpt", Optional.empty());

        assertThat(ledger.deletes).hasValue(1);
        assertThat(ledger.inner.entries()).isEmpty();
    }

    @Test
    void noRouteSummary_goesByTheLedger_notByTheWordingOfAReason() {
        RoutePlan nothingRuns = new RoutePlan("reviewer", "preference", 100, List.of(
                new Candidate("claude", "sonnet", Candidate.Status.EXCLUDED, "cooling down the GPU, says the admin"),
                new Candidate("codex", "gpt", Candidate.Status.EXCLUDED, "not installed")));

        assertThat(cooldowns.noRouteSummary(nothingRuns)).isEmpty();
    }

    @Test
    void list_isEmpty_whenCooldownsAreOff_whatever_theLedgerHolds() {
        ledger.inner.failed(new CooldownKey("claude", "sonnet", ToolFingerprint.of(CLAUDE)), "HTTP 429", 1,
                Duration.ofMinutes(5), clock.instant());
        Cooldowns off = new Cooldowns(CooldownPolicy.off(), ledger, clock, ticker, List.of(CLAUDE, CODEX));

        assertThat(off.list()).isEmpty();
        assertThat(cooldowns.list()).hasSize(1);
    }
}
