package io.llmservice.spi;

import io.llmservice.StatsQuery;
import io.llmservice.StatsReport;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Records invocations, keeps the budget ledger and answers stats queries.
 * {@link #record(InvocationRecord)} must return within microseconds (an implementation queues and
 * writes in the background; when its queue is full the caller waits — nothing is dropped) and
 * nothing accepted may be lost on {@link #close()}. Thread-safe.
 *
 * <pre>{@code
 * TelemetryStore store = ...;   // from a TelemetryStoreProvider, or given to LlmService.Builder.telemetryStore
 * store.record(record);         // queued; returns at once
 * store.flush();
 * List<InvocationRecord> attempts = store.findByRequest(record.requestId());
 * store.close();                // writes whatever is still queued
 * }</pre>
 */
public interface TelemetryStore extends AutoCloseable {

    /** Accepts one record; it will be written. */
    void record(InvocationRecord record);

    /** Blocks until everything accepted so far is durable; a record counts as written once this returns. */
    void flush();

    /** All records of one request, in attempt order (flushes first). */
    List<InvocationRecord> findByRequest(String requestId);

    /** The budget ledger of this store. */
    BudgetLedger ledger();

    /**
     * The rate-limit buckets this store shares between the processes using it, if it shares them.
     * Empty (the default) means the store keeps none: the service then holds its rate limits in
     * memory, per {@code LlmService} instance, which is the fastest way when one JVM is alone.
     */
    default Optional<RateLimitLedger> rateLimits() {
        return Optional.empty();
    }

    /**
     * The cooldowns this store shares between the processes using it, if it shares them. Empty (the
     * default) means the store keeps none: the service then keeps its cooldowns in memory, per
     * {@code LlmService} instance.
     */
    default Optional<CooldownLedger> cooldowns() {
        return Optional.empty();
    }

    /** Totals per period and group (flushes first). */
    StatsReport stats(StatsQuery query);

    /**
     * Passes every stats rollup row of the quarter-hours starting in {@code [from, to)} to {@code sink}, one
     * row per {@link RollupKey} (a store's partial rows of one key already added up), in quarter-hour
     * order (flushes first). Memory stays bounded: rows are streamed, not collected. What
     * {@code llm-service report} draws its charts from; {@link RollupStats#report} of the same rows
     * equals {@link #stats}.
     *
     * @throws UnsupportedOperationException when the store keeps no rollups (the default)
     * @throws io.llmservice.LlmServiceException with {@link io.llmservice.ErrorCode#TELEMETRY_STORE} when
     *         the store cannot be read
     */
    default void scanRollups(Instant from, Instant to, java.util.function.Consumer<RollupRow> sink) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no stats rollups to scan");
    }

    /**
     * Passes every record that started in {@code [from, to)} to {@code sink}, ordered by start time, then
     * request id, then attempt (flushes first). The records carry only what a replay reads: request id,
     * attempt, start, agent, team, tool, model, outcome, usage, cost, latency and route input. The rest is
     * left at the {@link InvocationRecord.Builder} defaults: no prompt or response text, no labels, no
     * per-model shares, no exit code, cost source {@link io.llmservice.CostSource#UNKNOWN}, no reserved
     * amount, no error code and an empty error summary (reading them would cost the most). Memory stays
     * bounded: records are streamed, not collected. What {@code llm-service whatif} replays.
     *
     * @throws UnsupportedOperationException when the store cannot scan its log (the default)
     * @throws io.llmservice.LlmServiceException with {@link io.llmservice.ErrorCode#TELEMETRY_STORE} when
     *         the store cannot be read
     */
    default void scanRecords(Instant from, Instant to, java.util.function.Consumer<InvocationRecord> sink) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot scan its invocation log");
    }

    /** Deletes invocation records (and settled or dead ledger entries) that started before {@code cutoff}; returns how many records went. */
    long deleteOlderThan(Instant cutoff);

    /**
     * Reads the whole store back and reports what it found (for {@code llm-service telemetry
     * check}). The default has nothing to verify beyond the store being open.
     */
    default StoreCheck check() {
        return new StoreCheck(true, java.util.List.of(getClass().getSimpleName() + ": open; nothing further to verify"));
    }

    /**
     * Copies this store's invocation log and budget ledger into {@code target} (moving from one
     * machine's H2 store to a team's PostgreSQL: {@code llm-service telemetry copy}). Idempotent and
     * resumable: a run killed half way, or run twice, leaves every record and every dollar of spend at
     * the target exactly once. Rate-limit buckets and cooldowns are transient and not copied. The
     * default supports no target.
     *
     * @throws io.llmservice.LlmServiceException with {@link io.llmservice.ErrorCode#TELEMETRY_STORE} when
     *         either store cannot be read or written, or the source holds live reservations and
     *         {@link StoreCopyOptions#force()} is off; {@link io.llmservice.ErrorCode#INVALID_REQUEST} when
     *         this store cannot be copied into {@code target}
     */
    default StoreCopyReport copyTo(TelemetryStore target, StoreCopyOptions options) {
        throw new io.llmservice.LlmServiceException(io.llmservice.ErrorCode.INVALID_REQUEST, getClass().getSimpleName()
                + " cannot be copied into " + target.getClass().getSimpleName() + "; copy an 'h2' store into a"
                + " 'postgres' one");
    }

    /** Flushes and releases resources. Idempotent. */
    @Override
    void close();
}
