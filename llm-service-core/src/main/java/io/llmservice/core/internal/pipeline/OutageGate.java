package io.llmservice.core.internal.pipeline;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Says when an outage begins and ends, so that a store that is down is reported once rather than
 * once per call: {@link #failed()} is true only for the first failure since the last success,
 * {@link #succeeded()} only for the first success after a failure.
 *
 * <pre>{@code
 * if (gate.failed()) { log.warn(...); } else { log.debug(...); }
 * }</pre>
 *
 * <p>Thread-safe: of concurrent first failures exactly one sees {@code true}.
 */
final class OutageGate {
    private final AtomicBoolean down = new AtomicBoolean();

    /** Notes a failure; true when it starts an outage. */
    boolean failed() {
        return down.compareAndSet(false, true);
    }

    /** Notes a success; true when it ends an outage. */
    boolean succeeded() {
        // A plain read first: the common case (no outage) then writes nothing.
        return down.get() && down.compareAndSet(true, false);
    }
}
