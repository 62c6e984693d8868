package io.llmservice.testkit;

import io.llmservice.CallCancelledException;
import io.llmservice.ToolException;
import io.llmservice.ToolTimeoutException;
import io.llmservice.spi.Availability;
import io.llmservice.spi.CancellationSignal;
import io.llmservice.spi.ToolAdapter;
import io.llmservice.spi.ToolInvocation;
import io.llmservice.spi.ToolResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract every {@link ToolAdapter} must keep, as JUnit 5 tests. Extend it for your
 * adapter and say how to build one that answers, one that works long enough to be cancelled or
 * to time out, and two that fail: one worth a fallback, one not:
 *
 * <pre>{@code
 * class EchoAdapterContractTest extends AbstractToolAdapterContractTest {
 *     protected ToolAdapter createAdapter()     { return new EchoAdapter(); }
 *     protected ToolAdapter createSlowAdapter() { return new EchoAdapter(Duration.ofSeconds(30)); }
 *     protected ToolAdapter createAdapterFailingRetriably()   { return new EchoAdapter(Failure.OVERLOADED); }
 *     protected ToolAdapter createAdapterFailingPermanently() { return new EchoAdapter(Failure.BAD_API_KEY); }
 * }
 * }</pre>
 *
 * <p>Checked: {@link ToolAdapter#availability()} is cheap and stable; {@link ToolAdapter#invoke}
 * returns non-blank text with non-null usage and warnings; a signal cancelled before or during
 * the call ends it with {@link CallCancelledException}; a call past its
 * {@link ToolInvocation#timeout()} ends with a retriable {@link ToolTimeoutException} naming
 * that timeout; a transient vendor failure (overloaded, rate limited) is a retriable
 * {@link ToolException} and a lasting one (rejected credentials) a non-retriable one, which is
 * what fallback routing goes by; {@link ToolAdapter#close()} may be called twice. Adapters
 * created here are closed after each test.
 *
 * <p>Not thread-safe; JUnit creates one instance per test method.
 */
public abstract class AbstractToolAdapterContractTest {

    /** Upper bound for a cancelled call to return; generous so that slow CI machines pass. */
    protected static final Duration CANCEL_BOUND = Duration.ofSeconds(10);

    private final List<ToolAdapter> created = new ArrayList<>();

    /** An installed adapter whose invocation answers with non-blank text. */
    protected abstract ToolAdapter createAdapter();

    /** An installed adapter whose invocation runs for much longer than {@link #CANCEL_BOUND}, unless cancelled. */
    protected abstract ToolAdapter createSlowAdapter();

    /**
     * An installed adapter whose invocation fails the way a vendor's transient trouble does
     * (overloaded, rate limited, HTTP 429 or 5xx): another candidate, or a later try, may succeed.
     */
    protected abstract ToolAdapter createAdapterFailingRetriably();

    /**
     * An installed adapter whose invocation fails in a way no fallback to the same tool helps,
     * such as rejected credentials.
     */
    protected abstract ToolAdapter createAdapterFailingPermanently();

    /** The invocation the tests send; override to use another model or prompt. */
    protected ToolInvocation invocation(CancellationSignal signal) {
        return ToolInvocation.builder("Say OK.").requestId("contract-1").model("test-model", "test-model")
                .timeout(Duration.ofMinutes(1)).cancellation(signal).build();
    }

    @AfterEach
    void closeCreatedAdapters() {
        created.forEach(ToolAdapter::close);
    }

    private ToolAdapter track(ToolAdapter adapter) {
        created.add(adapter);
        return adapter;
    }

    @Test
    void availability_isInstalledAndStable() {
        ToolAdapter adapter = track(createAdapter());

        Availability first = adapter.availability();
        Availability second = adapter.availability();

        assertThat(first.installed()).as("availability of %s: %s", adapter, first.detail()).isTrue();
        assertThat(second).isEqualTo(first);
        assertThat(first.detail()).isNotBlank();
    }

    @Test
    void invoke_returnsText() {
        ToolAdapter adapter = track(createAdapter());

        ToolResult result = adapter.invoke(invocation(CancellationSignal.none()));

        assertThat(result.text()).isNotBlank();
        assertThat(result.usage()).isNotNull();
        assertThat(result.warnings()).isNotNull();
    }

    @Test
    void invoke_alreadyCancelled_throwsCallCancelled() {
        ToolAdapter adapter = track(createAdapter());
        ManualCancellation signal = new ManualCancellation();
        signal.cancel();

        assertThatThrownBy(() -> adapter.invoke(invocation(signal))).isInstanceOf(CallCancelledException.class);
    }

    @Test
    void invoke_cancelledMidRun_throwsCallCancelledPromptly() throws Exception {
        ToolAdapter adapter = track(createSlowAdapter());
        ManualCancellation signal = new ManualCancellation();
        CompletableFuture<ToolResult> call = CompletableFuture.supplyAsync(() -> adapter.invoke(invocation(signal)));

        Thread.sleep(300); // let the call get going; cancelling earlier is the test above
        signal.cancel();

        try {
            call.get(CANCEL_BOUND.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("a cancelled call returned a result");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(CallCancelledException.class);
        } catch (TimeoutException e) {
            throw new AssertionError("a cancelled call still ran after " + CANCEL_BOUND, e);
        }
    }

    @Test
    void invoke_pastItsTimeout_throwsRetriableToolTimeoutPromptly() throws Exception {
        ToolAdapter adapter = track(createSlowAdapter());
        ToolInvocation base = invocation(CancellationSignal.none());
        Duration timeout = Duration.ofSeconds(1);
        ToolInvocation shortCall = new ToolInvocation(base.requestId(), base.attempt(), base.prompt(), base.modelId(),
                base.toolModelName(), timeout, base.workingDirectory(), base.cancellation());
        CompletableFuture<ToolResult> call = CompletableFuture.supplyAsync(() -> adapter.invoke(shortCall));

        try {
            call.get(timeout.plus(CANCEL_BOUND).toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("a call past its timeout returned a result");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOfSatisfying(ToolTimeoutException.class, t -> {
                assertThat(t.retriable()).as("a timeout is worth a fallback").isTrue();
                assertThat(t.timeout()).isEqualTo(timeout);
            });
        } catch (TimeoutException e) {
            throw new AssertionError("a call with a timeout of " + timeout + " still ran after " + CANCEL_BOUND, e);
        }
    }

    @Test
    void invoke_transientFailure_isRetriable() {
        ToolAdapter adapter = track(createAdapterFailingRetriably());

        assertThatThrownBy(() -> adapter.invoke(invocation(CancellationSignal.none())))
                .isInstanceOfSatisfying(ToolException.class, e -> {
                    assertThat(e.retriable()).as("retriable: %s", e.getMessage()).isTrue();
                    assertThat(e).isNotInstanceOf(ToolTimeoutException.class);
                });
    }

    @Test
    void invoke_lastingFailure_isNotRetriable() {
        ToolAdapter adapter = track(createAdapterFailingPermanently());

        assertThatThrownBy(() -> adapter.invoke(invocation(CancellationSignal.none())))
                .isInstanceOfSatisfying(ToolException.class, e ->
                        assertThat(e.retriable()).as("retriable: %s", e.getMessage()).isFalse());
    }

    @Test
    void close_twice_isHarmless() {
        ToolAdapter adapter = createAdapter();
        adapter.close();
        adapter.close();
    }

    /**
     * A {@link CancellationSignal} cancelled by hand. Thread-safe; callbacks run once, on the
     * cancelling thread (or at once when registered after cancellation).
     */
    public static final class ManualCancellation implements CancellationSignal {
        private final List<Runnable> callbacks = new ArrayList<>();
        private boolean cancelled;

        /** Cancels and runs the registered callbacks; later calls do nothing. */
        public void cancel() {
            List<Runnable> toRun;
            synchronized (this) {
                if (cancelled) {
                    return;
                }
                cancelled = true;
                toRun = List.copyOf(callbacks);
                callbacks.clear();
            }
            toRun.forEach(Runnable::run);
        }

        @Override
        public synchronized boolean isCancelled() {
            return cancelled;
        }

        @Override
        public AutoCloseable onCancel(Runnable callback) {
            synchronized (this) {
                if (!cancelled) {
                    callbacks.add(callback);
                    return () -> {
                        synchronized (this) {
                            callbacks.remove(callback);
                        }
                    };
                }
            }
            callback.run();
            return () -> { };
        }
    }
}
