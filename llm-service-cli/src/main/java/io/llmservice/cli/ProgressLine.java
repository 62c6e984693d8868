package io.llmservice.cli;

import io.llmservice.Attempt;
import io.llmservice.Candidate;
import io.llmservice.LlmServiceListener;
import io.llmservice.RoutePlan;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * One updating line on stderr while a tool runs: {@code running claude-code/claude-sonnet-4-5 (attempt 1) 3.2s}.
 * Only when stderr is a terminal; otherwise every method does nothing, so redirected output and
 * logs never see carriage returns. It follows the fallback chain through
 * {@link LlmServiceListener#onAttempt}: when an attempt ends, the next runnable candidate is shown.
 *
 * <p>Thread-safe: a daemon thread redraws; listener callbacks arrive on the calling thread.
 */
final class ProgressLine implements LlmServiceListener {
    private static final long REDRAW_MILLIS = 100;

    private final PrintStream err;
    private final boolean enabled;
    private final boolean ansi;
    private final LongSupplier nanoTime;
    private final AtomicInteger attemptsEnded = new AtomicInteger();
    private volatile List<Candidate> runnable = List.of();
    private volatile long started;
    private volatile Thread redraw;
    private int lastWidth;

    ProgressLine(CliEnvironment env) {
        this(env.err(), env.terminal(), env.color(), System::nanoTime);
    }

    ProgressLine(PrintStream err, boolean enabled, boolean ansi, LongSupplier nanoTime) {
        this.err = err;
        this.enabled = enabled;
        this.ansi = ansi;
        this.nanoTime = nanoTime;
    }

    /** Starts redrawing for this plan. */
    void start(RoutePlan plan) {
        runnable = plan.runnable();
        started = nanoTime.getAsLong();
        if (!enabled) {
            return;
        }
        Thread t = new Thread(this::loop, "llm-service-progress");
        t.setDaemon(true);
        redraw = t;
        t.start();
    }

    /** Stops and erases the line. Idempotent. */
    void stop() {
        Thread t = redraw;
        redraw = null;
        if (t == null) {
            return;
        }
        t.interrupt();
        try {
            t.join(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            erase();
            err.flush();
        }
    }

    @Override
    public void onAttempt(String requestId, Attempt attempt) {
        attemptsEnded.incrementAndGet();
    }

    /** Prints a line (a warning) without tearing the progress line. */
    synchronized void println(String line) {
        if (redraw != null) {
            erase();
        }
        err.println(line);
    }

    /** The text for the current moment. */
    String text() {
        int ended = attemptsEnded.get();
        List<Candidate> candidates = runnable;
        String what = ended < candidates.size()
                ? candidates.get(ended).tool() + "/" + candidates.get(ended).model() : "finishing";
        Duration elapsed = Duration.ofNanos(nanoTime.getAsLong() - started);
        return String.format(Locale.ROOT, "running %s (attempt %d) %d.%ds", what, ended + 1,
                elapsed.toSeconds(), elapsed.toMillisPart() / 100);
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            synchronized (this) {
                if (redraw == null) {
                    return;
                }
                String line = text();
                erase();
                err.print(line);
                err.flush();
                lastWidth = line.length();
            }
            try {
                Thread.sleep(REDRAW_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void erase() {
        if (lastWidth == 0) {
            return;
        }
        err.print(ansi ? "\r\u001b[2K" : "\r" + " ".repeat(lastWidth) + "\r");
        lastWidth = 0;
    }
}
