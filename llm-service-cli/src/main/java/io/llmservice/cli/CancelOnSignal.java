package io.llmservice.cli;

import io.llmservice.RoutedCall;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ctrl-C (SIGINT) or SIGTERM while a tool runs cancels the call, which kills the tool's whole process
 * tree; the calling thread then records the cancelled attempt, closes the service (the store is flushed
 * and closed) and exits 130.
 *
 * <p>A signal handler rather than a shutdown hook: the JVM runs every shutdown hook at once, and H2's own
 * hook closed the database while ours was still writing, losing the record of the interrupted call. With
 * the handler no hook runs until the command has closed the service and called {@code System.exit}. The
 * handler is one-shot: a second signal gets the JVM's default (the process ends at once), so a command
 * that does not end can still be stopped. Where a signal cannot be handled (SIGTERM on Windows, a JVM
 * run with {@code -Xrs}) the JVM's default applies.
 *
 * <pre>{@code
 * CancelOnSignal interrupt = CancelOnSignal.install(call);
 * try { response = call.execute(); } finally { interrupt.remove(); }
 * if (interrupt.fired()) ... exit 130 after closing the service
 * }</pre>
 *
 * Lifecycle: installed for one call, removed when the call ends however it ended.
 */
final class CancelOnSignal {
    private static final List<String> SIGNALS = List.of("INT", "TERM");

    private final RoutedCall call;
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private volatile boolean fired;

    private CancelOnSignal(RoutedCall call) {
        this.call = call;
    }

    static CancelOnSignal install(RoutedCall call) {
        CancelOnSignal c = new CancelOnSignal(call);
        SignalHandler handler = c::handle;
        for (String name : SIGNALS) {
            try {
                Signal signal = new Signal(name);
                c.previous.put(signal, Signal.handle(signal, handler));
            } catch (IllegalArgumentException unsupported) {
                // unknown here, or reserved by the JVM: its default applies
            }
        }
        return c;
    }

    private void handle(Signal signal) {
        fired = true;
        remove();
        call.cancel();
    }

    /** Whether a signal arrived while the call ran. */
    boolean fired() {
        return fired;
    }

    /** Gives the signals back to whoever handled them before (the JVM's default). Idempotent. */
    synchronized void remove() {
        previous.forEach(Signal::handle);
        previous.clear();
    }
}
