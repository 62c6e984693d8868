package io.llmservice.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The cooldowns of tool/model pairs, kept by a telemetry store ({@link TelemetryStore#cooldowns()})
 * so that every process sharing the store skips a pair that keeps failing, as its budgets and rate
 * limits are shared. The service decides which failures count and for how long ({@code
 * policies.cooldown}); the ledger keeps the count and the end of each cooldown, one entry per
 * {@link CooldownKey}: tool, model <em>and</em> fingerprint, so two projects that share one store with
 * different definitions of a tool (other arguments, other credentials) keep their own counts and
 * cooldowns, and one's success does not end the other's cooldown.
 *
 * <pre>{@code
 * CooldownLedger ledger = store.cooldowns().orElseThrow();
 * CooldownKey key = new CooldownKey("codex", "gpt-5", fingerprint);
 * CooldownEntry e = ledger.failed(key, "HTTP 429", 3, Duration.ofMinutes(5), clock.instant());
 * if (e.coolingAt(clock.instant())) { ... }   // the third 429 in a row: skipped for 5 minutes
 * ledger.succeeded(key);                      // a success resets the count
 * }</pre>
 *
 * <p>Time is the {@code now} the caller passes, from its service clock (the wall clock): a cooldown
 * ends at a point in time that every process reads the same way, where a monotonic
 * {@link io.llmservice.Ticker} would mean nothing in another process.
 *
 * <p>Thread-safe, and atomic across processes sharing the store. A call that cannot reach the store
 * throws an {@link io.llmservice.LlmServiceException} ({@code LLM-050}).
 */
public interface CooldownLedger {

    /**
     * Counts one failure of a key, atomically, as {@link CooldownEntry#afterFailure} says: when the
     * count reaches {@code after}, the pair cools down until {@code now + coolFor}; a further failure
     * while or after it cooled down starts a new cooldown from {@code now}. Entries of other keys are
     * left as they are, except that entries of other keys whose cooldown had ended by {@code now} are
     * purged, so that entries of configurations no longer in use do not pile up.
     *
     * @param key     the pair and the fingerprint of the configuration in effect
     * @param reason  the failure in a few words, shown to users
     * @param after   the count that starts a cooldown, &ge; 1 (1: at once)
     * @param coolFor how long the cooldown lasts, &gt; 0
     * @param now     the current time, from the service clock
     * @return the entry as written
     */
    CooldownEntry failed(CooldownKey key, String reason, int after, Duration coolFor, Instant now);

    /**
     * A success under {@code key}: forgets that key's entry (count and cooldown). Entries of the same
     * tool and model under other fingerprints stay: another configuration's failures are its own.
     */
    void succeeded(CooldownKey key);

    /** Every entry, counting or cooling, of every fingerprint, ordered by tool, model and fingerprint. */
    List<CooldownEntry> entries();

    /**
     * Forgets entries, of every fingerprint; returns how many went.
     *
     * @param tool  the tool whose entries go, or {@code null} for every tool
     * @param model the model whose entries go, or {@code null} for every model
     */
    int reset(String tool, String model);
}
