package io.llmservice.cli;

import io.llmservice.LlmService;
import io.llmservice.RoutedCall;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) or SIGTERM while a tool runs: a shutdown hook cancels the call, which kills the
 * tool's whole process tree, waits briefly for the calling thread to see it, closes the service
 * (flushing telemetry) and ends the JVM with exit code 130. A JVM hook cannot tell the two signals
 * apart, so both give 130 ("interrupted") while a call runs; outside a call the JVM's own default
 * applies (130 for SIGINT, 143 for SIGTERM).
 *
 * <pre>{@code
 * CancelOnShutdown hook = CancelOnShutdown.install(call, llm, err);
 * try { response = call.execute(); } finally { hook.callEnded(); }
 * hook.remove();
 * }</pre>
 */
final class CancelOnShutdown {
    private static final long WAIT_FOR_CALLER_MILLIS = 5_000;

    private final Thread hook;
    private final CountDownLatch callEnded = new CountDownLatch(1);
    private volatile boolean fired;

    private CancelOnShutdown(RoutedCall call, LlmService llm, PrintStream err) {
        this.hook = new Thread(() -> {
            if (callEnded.getCount() == 0) {
                return; // the call finished; the process is exiting normally
            }
            fired = true;
            call.cancel();
            try {
                callEnded.await(WAIT_FOR_CALLER_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                llm.close();
            } catch (RuntimeException e) {
                // e.g. a record that could not be written: one line, as every error of the command
                err.println("error: " + e.getMessage());
            }
            err.println("interrupted: the call was cancelled and the tool's process tree killed");
            err.flush();
            // exit() from a hook would deadlock; halt() is the only way to choose the status here.
            Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
        }, "llm-service-interrupt");
    }

    static CancelOnShutdown install(RoutedCall call, LlmService llm, PrintStream err) {
        CancelOnShutdown c = new CancelOnShutdown(call, llm, err);
        Runtime.getRuntime().addShutdownHook(c.hook);
        return c;
    }

    /** The calling thread is done with {@code execute()}, however it ended. */
    void callEnded() {
        callEnded.countDown();
    }

    /** Whether the hook ran, i.e. the JVM is shutting down because of a signal. */
    boolean fired() {
        return fired;
    }

    /** Unregisters the hook after a call that ended normally. */
    void remove() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is already running and will end the process
        }
    }
}
