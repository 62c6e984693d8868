package io.llmservice.spi;

import java.util.List;

/**
 * Records invocations. {@link #record(InvocationRecord)} must return within microseconds (an
 * implementation queues and writes in the background) and nothing acknowledged may be lost on
 * {@link #close()}. Thread-safe.
 */
public interface TelemetryStore extends AutoCloseable {

    /** Queues one record; returns once the record is accepted (it will be written). */
    void record(InvocationRecord record);

    /** Blocks until everything accepted so far is durable. */
    void flush();

    /** All records of one request, in attempt order, after a flush. */
    List<InvocationRecord> findByRequest(String requestId);

    /** Flushes and releases resources. Idempotent. */
    @Override
    void close();
}
