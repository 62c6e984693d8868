package io.llmservice.core.internal.cooldown;

import io.llmservice.Candidate;
import io.llmservice.Cooldown;
import io.llmservice.LlmServiceException;
import io.llmservice.RoutePlan;
import io.llmservice.Ticker;
import io.llmservice.config.CooldownPolicy;
import io.llmservice.config.ToolDefinition;
import io.llmservice.spi.CooldownEntry;
import io.llmservice.spi.CooldownKey;
import io.llmservice.spi.CooldownLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service's side of cooldowns ({@code policies.cooldown}): which attempts count, how long a
 * pair cools down, and which candidates of a plan are skipped. The counts and ends live in a
 * {@link CooldownLedger}, the store's (shared by every process using it) or one of this service's.
 *
 * <pre>{@code
 * Cooldowns cooldowns = new Cooldowns(policy, ledger, clock, ticker, config.tools().values());
 * RoutePlan plan = cooldowns.apply(strategy.plan(ctx));      // cooling pairs excluded, with the time left
 * cooldowns.attempted("codex", "gpt-5", Optional.of(failure)); // counted after each attempt
 * }</pre>
 *
 * <p>Cooldowns are an optimisation: a ledger that cannot be read or written is logged and
 * ignored, and the call goes on as if no pair were cooling. Time is the service clock (the wall
 * clock), since a cooldown's end must mean the same in every process sharing the store.
 *
 * <p><b>Cost.</b> A shared ledger (H2) is a round trip to the store's daemon, so routing reads the
 * entries at most once per {@link #FRESH_FOR} (measured with the ticker) and keeps them meanwhile: a
 * cooldown another process starts is seen within that second; what this service writes itself
 * (a counted failure, a reset) is seen at once. A success writes to the ledger only when there may be
 * something to forget: this service counted a failure of that key, or the last entries it read hold
 * one. Thread-safe.
 */
public final class Cooldowns {
    private static final Logger LOG = LoggerFactory.getLogger(Cooldowns.class);

    private final CooldownPolicy policy;
    private final CooldownLedger ledger;
    private final Clock clock;
    private final Ticker ticker;
    /** The keys this service counted a failure of since it last forgot them. */
    private final Set<CooldownKey> failedHere = ConcurrentHashMap.newKeySet();
    /** The entries as last read, and when (ticker nanos); null until read, or after this service wrote. */
    private volatile Snapshot snapshot;

    /** How long routing reuses the entries it read: another process's new cooldown is seen within it. */
    public static final Duration FRESH_FOR = Duration.ofSeconds(1);

    private record Snapshot(List<CooldownEntry> entries, long readAtNanos) {
    }
    /** Tool name to the fingerprint of its definition. */
    private final Map<String, String> fingerprints = new HashMap<>();
    /** Tool name to its catalogue model ids: an authentication failure cools every one of them. */
    private final Map<String, List<String>> models = new HashMap<>();

    public Cooldowns(CooldownPolicy policy, CooldownLedger ledger, Clock clock, Ticker ticker,
                     Iterable<ToolDefinition> tools) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        for (ToolDefinition t : tools) {
            fingerprints.put(t.name(), ToolFingerprint.of(t));
            models.put(t.name(), t.models().keySet().stream().sorted().toList());
        }
    }

    /**
     * The plan with every runnable candidate that is cooling down excluded, its reason giving the time
     * left; the first candidate still runnable becomes the chosen one. The same plan when none is.
     */
    public RoutePlan apply(RoutePlan plan) {
        if (!policy.enabled() || plan.runnable().isEmpty()) {
            return plan;
        }
        Map<String, Cooldown> cooling = coolingByPair();
        if (cooling.isEmpty()) {
            return plan;
        }
        List<Candidate> runnable = new ArrayList<>();
        List<Candidate> excluded = new ArrayList<>();
        for (Candidate c : plan.candidates()) {
            Cooldown cd = c.runnable() ? cooling.get(pair(c.tool(), c.model())) : null;
            if (cd != null) {
                excluded.add(new Candidate(c.tool(), c.model(), Candidate.Status.EXCLUDED, cd.describe()));
            } else if (c.runnable()) {
                runnable.add(new Candidate(c.tool(), c.model(), runnable.isEmpty() ? Candidate.Status.CHOSEN
                        : Candidate.Status.FALLBACK, c.reason()));
            } else {
                excluded.add(c);
            }
        }
        if (excluded.size() == plan.excluded().size()) {
            return plan;
        }
        List<Candidate> all = new ArrayList<>(runnable);
        all.addAll(excluded);
        return new RoutePlan(plan.agent(), plan.strategy(), plan.estimatedTokens(), all);
    }

    /**
     * When nothing in {@code plan} may run and some of it is cooling down: e.g. {@code every candidate is
     * cooling down; the first, codex/gpt-5, may run again in 4m12s (at 2026-12-06T20:15:03Z)}.
     */
    public Optional<String> noRouteSummary(RoutePlan plan) {
        if (!policy.enabled() || !plan.runnable().isEmpty()) {
            return Optional.empty();
        }
        // Which excluded candidates are cooling: their pair is in the ledger, not their reason's wording.
        Map<String, Cooldown> cooling = coolingByPair();
        List<Candidate> coolingOnes = plan.excluded().stream()
                .filter(c -> cooling.containsKey(pair(c.tool(), c.model()))).toList();
        if (coolingOnes.isEmpty()) {
            return Optional.empty();
        }
        Optional<Cooldown> first = coolingOnes.stream().map(c -> cooling.get(pair(c.tool(), c.model())))
                .filter(Objects::nonNull).min(Comparator.comparing(Cooldown::until));
        String who = coolingOnes.size() == plan.candidates().size() ? "every candidate is cooling down"
                : coolingOnes.size() + " of " + plan.candidates().size() + " candidates are cooling down, the others"
                + " are excluded";
        return Optional.of(first.map(c -> who + "; the first, " + c.tool() + "/" + c.model() + ", may run again in "
                        + Cooldown.format(c.remaining()) + " (at " + c.until() + ")")
                .orElse(who + "; one may run again by now, route the request again"));
    }

    /**
     * Counts one attempt of {@code tool}/{@code model}: a success forgets the pair's failures; a
     * counting failure ({@link CountingFailure}) adds one, and may start a cooldown; an authentication
     * failure cools every model of the tool at once (the credentials are the tool's); anything else
     * changes nothing.
     */
    public void attempted(String tool, String model, Optional<LlmServiceException> failure) {
        if (!policy.enabled()) {
            return;
        }
        String fingerprint = fingerprints.get(tool);
        if (fingerprint == null) {
            return;
        }
        CooldownKey key = new CooldownKey(tool, model, fingerprint);
        try {
            if (failure.isEmpty()) {
                if (mayHaveEntry(key)) {
                    ledger.succeeded(key);
                    failedHere.remove(key);
                    snapshot = null; // after the write, so that the next route() reads what it left
                }
                return;
            }
            Optional<CountingFailure> counting = CountingFailure.of(failure.get());
            if (counting.isEmpty()) {
                return;
            }
            CountingFailure f = counting.get();
            if (f.authentication()) {
                // The credentials are the tool's, not the model's: every model of the tool would fail the same way.
                for (String m : models.getOrDefault(tool, List.of(model))) {
                    CooldownKey mk = new CooldownKey(tool, m, fingerprint);
                    failedHere.add(mk);
                    CooldownEntry e = ledger.failed(mk, f.reason(), 1, policy.authDuration(), clock.instant());
                    snapshot = null; // what this service writes, it sees at once
                    LOG.info("{}/{} cools down until {} ({})", tool, m, e.until().orElseThrow(), e.reason());
                }
                return;
            }
            failedHere.add(key);
            CooldownEntry e = ledger.failed(key, f.reason(), policy.after(), policy.duration(), clock.instant());
            snapshot = null;
            if (e.until().isPresent()) {
                LOG.info("{}/{} cools down until {} after {} failures ({})", tool, model, e.until().get(),
                        e.failures(), e.reason());
            }
        } catch (LlmServiceException e) {
            LOG.warn("cooldowns: could not count an attempt of {}/{}, so it is not counted: {}", tool, model,
                    e.getMessage());
        }
    }

    /**
     * The pairs cooling down now under this configuration, ordered by tool and model, read from the
     * ledger now; none when cooldowns are off. Throws when the ledger cannot be read.
     */
    public List<Cooldown> list() {
        if (!policy.enabled()) {
            return List.of();
        }
        snapshot = null;
        return List.copyOf(readCooling().values());
    }

    /** Whether {@code tool}/{@code model} is cooling down now (from the entries read within a second). */
    public boolean cooling(String tool, String model) {
        return policy.enabled() && coolingByPair().containsKey(pair(tool, model));
    }

    /** Forgets entries of {@code tool} (null: every tool) and {@code model} (null: every model). */
    public int reset(String tool, String model) {
        failedHere.removeIf(k -> (tool == null || k.tool().equals(tool)) && (model == null || k.model().equals(model)));
        int removed = ledger.reset(tool, model);
        snapshot = null;
        return removed;
    }

    /** Whether a success of {@code key} may have an entry to forget: this service counted one, or it was read. */
    private boolean mayHaveEntry(CooldownKey key) {
        if (failedHere.contains(key)) {
            return true;
        }
        Snapshot s = snapshot;
        List<CooldownEntry> known = s == null ? entries() : s.entries(); // the last read, however old
        return known.stream().anyMatch(e -> e.key().equals(key));
    }

    /** The ledger's entries, read at most once per {@link #FRESH_FOR}. */
    private List<CooldownEntry> entries() {
        Snapshot s = snapshot;
        long now = ticker.read();
        if (s != null && now - s.readAtNanos() < FRESH_FOR.toNanos()) {
            return s.entries();
        }
        List<CooldownEntry> read = ledger.entries();
        snapshot = new Snapshot(read, now);
        return read;
    }

    /** The pairs cooling down now; none when the ledger cannot be read (logged). */
    private Map<String, Cooldown> coolingByPair() {
        try {
            return readCooling();
        } catch (LlmServiceException e) {
            LOG.warn("cooldowns: could not read them, so no candidate is skipped for one: {}", e.getMessage());
            return Map.of();
        }
    }

    /** The pairs cooling down now; throws when the ledger cannot be read. */
    private Map<String, Cooldown> readCooling() {
        Instant now = clock.instant();
        Map<String, Cooldown> out = new LinkedHashMap<>();
        for (CooldownEntry e : entries()) {
            CooldownKey k = e.key();
            if (!e.coolingAt(now) || !k.fingerprint().equals(fingerprints.get(k.tool()))) {
                continue;
            }
            Instant until = e.until().orElseThrow();
            out.put(pair(k.tool(), k.model()), Cooldown.builder(k.tool(), k.model()).failures(e.failures())
                    .reason(e.reason()).until(until).remaining(Duration.between(now, until)).build());
        }
        return out;
    }

    private static String pair(String tool, String model) {
        return tool + "/" + model;
    }
}
