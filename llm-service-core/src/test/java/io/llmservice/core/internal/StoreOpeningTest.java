package io.llmservice.core.internal;

import io.llmservice.config.TelemetrySettings;
import io.llmservice.core.internal.telemetry.InMemoryTelemetryStore;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.spi.TelemetryStoreProvider;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link StoreOpening} opens on a thread of its own and closes an opening nobody will use. */
class StoreOpeningTest {
    private static final TelemetrySettings A = TelemetrySettings.builder().store("fake").path(Path.of("/tmp/a")).build();

    @Test
    void open_runsOnItsOwnDaemonThread() {
        FakeProvider provider = new FakeProvider();

        TelemetryStore store = BackgroundTask.join(StoreOpening.open(provider, A, Clock.systemUTC()));

        assertThat(store).isNotNull();
        assertThat(provider.opened.get()).isEqualTo(1);
        assertThat(provider.openedOn).isEqualTo("llm-service-telemetry-open");
    }

    @Test
    void closeWhenOpen_anOpenThatFailed_closesNothing_andThrowsNothing() {
        CompletableFuture<TelemetryStore> failed = CompletableFuture.failedFuture(new IllegalStateException("locked"));
        StoreOpening.closeWhenOpen(failed);   // the caller's own error is the one to report
    }

    @Test
    void closeWhenOpen_anOpenStillGoingAfterTheWait_isClosedWhenItFinishes() {
        FakeProvider provider = new FakeProvider();
        CompletableFuture<TelemetryStore> opening = new CompletableFuture<>();

        StoreOpening.closeWhenOpen(opening, 50);

        TelemetryStore store = provider.open(A, Clock.systemUTC());
        assertThat(provider.closed.get()).isZero();
        opening.complete(store);
        assertThat(provider.closed.get()).isEqualTo(1);
    }

    @Test
    void closeWhenOpen_anOpenStore_isClosed() {
        FakeProvider provider = new FakeProvider();

        StoreOpening.closeWhenOpen(StoreOpening.open(provider, A, Clock.systemUTC()));

        assertThat(provider.closed.get()).isEqualTo(1);
    }

    /** Type {@code fake}: opens in-memory stores, counting opens and closes. */
    private static final class FakeProvider implements TelemetryStoreProvider {
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        volatile String openedOn;

        @Override
        public String type() {
            return "fake";
        }

        @Override
        public TelemetryStore open(TelemetrySettings settings, Clock clock) {
            opened.incrementAndGet();
            openedOn = Thread.currentThread().getName();
            return new CloseCountingStore(new InMemoryTelemetryStore(), closed);
        }
    }
}
