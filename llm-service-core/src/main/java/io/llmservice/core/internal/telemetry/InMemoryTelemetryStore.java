package io.llmservice.core.internal.telemetry;

import io.llmservice.StatsQuery;
import io.llmservice.StatsReport;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.PriorAttempt;
import io.llmservice.spi.RollupContributions;
import io.llmservice.spi.RollupKey;
import io.llmservice.spi.RollupRow;
import io.llmservice.spi.RollupStats;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.spi.CooldownLedger;
import io.llmservice.core.internal.cooldown.InMemoryCooldownLedger;

import java.util.Optional;
import java.util.OptionalInt;
import io.llmservice.CostSource;

import java.time.Instant;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Keeps records in memory, for tests and for embedding without a database. Bounded: beyond
 * {@code capacity} records the oldest are dropped (and counted), so a long-running process
 * cannot run out of memory through telemetry. Thread-safe; {@link #record} never waits for more
 * than another record's rollup update (microseconds).
 *
 * <p>Stats come from rollup rows kept as each record arrives ({@link RollupContributions},
 * {@link RollupStats}), exactly as the database stores keep them, so a dropped record still counts
 * in stats. The earlier attempts a record's contributions need are remembered for the last
 * {@code capacity} requests. Rollup rows are not bounded by {@code capacity}: there is one per
 * quarter-hour, agent, team, tool, model and outcome that had activity (about 200 bytes each), and
 * {@link #deleteOlderThan} trims them by whole quarter-hours: a row goes when its quarter-hour ends
 * at or before the cutoff.
 */
public final class InMemoryTelemetryStore implements TelemetryStore {
    /** Default capacity: 100,000 records, a few tens of MB. */
    public static final int DEFAULT_CAPACITY = 100_000;

    private final ConcurrentLinkedQueue<InvocationRecord> records = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger size = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();
    private final int capacity;
    private final InMemoryBudgetLedger ledger = new InMemoryBudgetLedger(this::recorded);
    private final InMemoryCooldownLedger cooldowns = new InMemoryCooldownLedger();
    /** Guards {@link #rollups} and {@link #attempts}. */
    private final Object rollupLock = new Object();
    private final Map<RollupKey, RollupRow> rollups = new HashMap<>();
    /** The attempts of the most recent requests, for the contributions of their next attempts. */
    private final Map<String, List<PriorAttempt>> attempts;

    public InMemoryTelemetryStore() {
        this(DEFAULT_CAPACITY);
    }

    public InMemoryTelemetryStore(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be > 0, was " + capacity);
        }
        this.capacity = capacity;
        this.attempts = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<PriorAttempt>> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public void record(InvocationRecord record) {
        synchronized (rollupLock) {
            List<PriorAttempt> earlier = attempts.computeIfAbsent(record.requestId(), id -> new ArrayList<>());
            for (RollupRow delta : RollupContributions.of(record, earlier)) {
                rollups.merge(delta.key(), delta, RollupRow::plus);
            }
            earlier.add(PriorAttempt.of(record));
        }
        records.add(record);
        if (size.incrementAndGet() > capacity && records.poll() != null) {
            size.decrementAndGet();
            dropped.incrementAndGet();
        }
    }

    @Override
    public void flush() {
        // Nothing is buffered: every accepted record is visible at once.
    }

    @Override
    public List<InvocationRecord> findByRequest(String requestId) {
        List<InvocationRecord> out = new ArrayList<>();
        for (InvocationRecord r : records) {
            if (r.requestId().equals(requestId)) {
                out.add(r);
            }
        }
        out.sort(Comparator.comparingInt(InvocationRecord::attempt));
        return out;
    }

    /**
     * Passes the held records that started in {@code [from, to)} to {@code sink}, ordered by start time,
     * request id and attempt, without their texts, labels or per-model shares. The matching records are
     * sorted in a list first: they are in memory already, at most {@code capacity} of them; a record
     * dropped at capacity is not scanned.
     */
    @Override
    public void scanRecords(Instant from, Instant to, java.util.function.Consumer<InvocationRecord> sink) {
        java.util.Objects.requireNonNull(sink, "sink");
        List<InvocationRecord> window = new ArrayList<>();
        for (InvocationRecord r : records) {
            if (!r.startedAt().isBefore(from) && r.startedAt().isBefore(to)) {
                window.add(r);
            }
        }
        window.sort(SCAN_ORDER);
        for (InvocationRecord r : window) {
            // what TelemetryStore.scanRecords says a scanned record carries, as the JDBC stores read it
            sink.accept(r.toBuilder().promptText(Optional.empty()).responseText(Optional.empty())
                    .labels(Map.of()).modelUsage(List.of()).exitCode(OptionalInt.empty())
                    .costSource(CostSource.UNKNOWN).reservedUsd(Optional.empty()).errorCode(Optional.empty())
                    .errorSummary("").build());
        }
    }

    private static final Comparator<InvocationRecord> SCAN_ORDER = Comparator.comparing(InvocationRecord::startedAt)
            .thenComparing(InvocationRecord::requestId).thenComparingInt(InvocationRecord::attempt);

    /** The record of one attempt, if held (the ledger charges an expired reservation its cost). */
    private java.util.Optional<InvocationRecord> recorded(String requestId, int attempt) {
        for (InvocationRecord r : records) {
            if (r.attempt() == attempt && r.requestId().equals(requestId)) {
                return java.util.Optional.of(r);
            }
        }
        return java.util.Optional.empty();
    }

    @Override
    public InMemoryBudgetLedger ledger() {
        return ledger;
    }

    /** The cooldowns of this store: shared by every service using this instance. */
    @Override
    public Optional<CooldownLedger> cooldowns() {
        return Optional.of(cooldowns);
    }

    @Override
    public StatsReport stats(StatsQuery query) {
        List<RollupRow> rows;
        synchronized (rollupLock) {
            rows = new ArrayList<>(rollups.values());
        }
        return RollupStats.report(query, rows);
    }

    /**
     * The window's rows, copied under the lock and passed on outside it (a slow sink does not hold up
     * {@link #record}); the store holds every row in memory anyway, so the copy adds no new bound.
     */
    @Override
    public void scanRollups(Instant from, Instant to, java.util.function.Consumer<RollupRow> sink) {
        java.util.Objects.requireNonNull(from, "from");
        java.util.Objects.requireNonNull(to, "to");
        java.util.Objects.requireNonNull(sink, "sink");
        List<RollupRow> rows = new ArrayList<>();
        synchronized (rollupLock) {
            for (RollupRow row : rollups.values()) {
                Instant start = row.key().start();
                if (!start.isBefore(from) && start.isBefore(to)) {
                    rows.add(row);
                }
            }
        }
        rows.sort(Comparator.comparing(RollupRow::key, KEY_ORDER));
        rows.forEach(sink);
    }

    /** Quarter-hour first, then the rest of the key: the order the database stores scan in. */
    private static final Comparator<RollupKey> KEY_ORDER = Comparator.comparing(RollupKey::start)
            .thenComparing(RollupKey::agent).thenComparing(RollupKey::team).thenComparing(RollupKey::tool)
            .thenComparing(RollupKey::model).thenComparing(k -> k.outcome().storedName());

    @Override
    public long deleteOlderThan(Instant cutoff) {
        synchronized (rollupLock) {
            rollups.keySet().removeIf(k -> k.start().plus(RollupKey.BUCKET).compareTo(cutoff) <= 0);
        }
        long removed = 0;
        for (java.util.Iterator<InvocationRecord> it = records.iterator(); it.hasNext(); ) {
            if (it.next().startedAt().isBefore(cutoff)) {
                it.remove();
                size.decrementAndGet();
                removed++;
            }
        }
        return removed;
    }

    /** Every record held, oldest first. */
    public List<InvocationRecord> all() {
        return new ArrayList<>(records);
    }

    /** How many records were dropped because the capacity was reached. */
    public long dropped() {
        return dropped.get();
    }

    @Override
    public void close() {
        // Memory is released with the object.
    }
}
