package io.llmservice.core.internal;

import io.llmservice.config.Privacy;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.core.internal.spi.Providers;
import io.llmservice.core.internal.telemetry.InMemoryTelemetryStore;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.spi.TelemetryStoreProvider;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** When {@link StoreOpening} opens a store early, and that an early store nobody uses is closed. */
class StoreOpeningTest {
    private static final TelemetrySettings A = new TelemetrySettings("fake", Path.of("/tmp/a"), Privacy.METADATA);
    private static final TelemetrySettings B = new TelemetrySettings("fake", Path.of("/tmp/b"), Privacy.METADATA);

    @Test
    void anExistingStore_opensEarly_andTheValidConfigGetsThatOpening() {
        FakeProvider provider = new FakeProvider(true);
        StoreOpening stores = new StoreOpening(providers(provider), Clock.systemUTC());

        stores.startEarly(A);
        TelemetryStore store = BackgroundTask.join(stores.forConfig(A));

        assertThat(provider.opened.get()).isEqualTo(1);
        assertThat(provider.openedOn).isEqualTo("llm-service-telemetry-open");
        assertThat(store).isNotNull();
        assertThat(provider.closed.get()).isZero();
    }

    @Test
    void aStoreThatDoesNotExistYet_opensOnlyForTheValidConfig() {
        FakeProvider provider = new FakeProvider(false);
        StoreOpening stores = new StoreOpening(providers(provider), Clock.systemUTC());

        stores.startEarly(A);
        assertThat(provider.opened.get()).isZero();
        BackgroundTask.join(stores.forConfig(A));
        assertThat(provider.opened.get()).isEqualTo(1);
    }

    @Test
    void anEarlyStoreOfOtherSettings_isClosed_andTheConfiguredOneOpened() throws Exception {
        FakeProvider provider = new FakeProvider(true);
        StoreOpening stores = new StoreOpening(providers(provider), Clock.systemUTC());

        stores.startEarly(A);
        BackgroundTask.join(stores.forConfig(B));

        assertThat(provider.paths).containsExactly(A.path(), B.path());
        assertThat(provider.closed.get()).isEqualTo(1);
    }

    @Test
    void anEarlyStoreOfAFailedLoad_isClosed() throws Exception {
        FakeProvider provider = new FakeProvider(true);
        StoreOpening stores = new StoreOpening(providers(provider), Clock.systemUTC());

        stores.startEarly(A);
        stores.discard();   // waits: a command line exits right after a failed load

        assertThat(provider.closed.get()).isEqualTo(1);
        assertThat(provider.opened.get()).isEqualTo(1);
    }

    @Test
    void anUnknownStoreType_orAProviderThatCannotTell_opensNothingEarly() {
        FakeProvider provider = new FakeProvider(true);
        StoreOpening stores = new StoreOpening(providers(provider), Clock.systemUTC());
        stores.startEarly(new TelemetrySettings("other", Path.of("/tmp/a"), Privacy.METADATA));
        assertThat(provider.opened.get()).isZero();

        FakeProvider failing = new FakeProvider(true) {
            @Override
            public boolean exists(TelemetrySettings settings) {
                throw new SecurityException("no access");
            }
        };
        StoreOpening other = new StoreOpening(providers(failing), Clock.systemUTC());
        other.startEarly(A);
        assertThat(failing.opened.get()).isZero();
    }

    @Test
    void closeWhenOpen_anOpenThatFailed_closesNothing_andThrowsNothing() {
        CompletableFuture<TelemetryStore> failed = CompletableFuture.failedFuture(new IllegalStateException("locked"));
        StoreOpening.closeWhenOpen(failed);   // the caller's own error is the one to report
    }

    @Test
    void closeWhenOpen_anOpenStillGoingAfterTheWait_isClosedWhenItFinishes() {
        FakeProvider provider = new FakeProvider(true);
        CompletableFuture<TelemetryStore> opening = new CompletableFuture<>();
        long start = System.nanoTime();

        StoreOpening.closeWhenOpen(opening, 50);

        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(50_000_000L);
        TelemetryStore store = provider.open(A, Clock.systemUTC());
        assertThat(provider.closed.get()).isZero();
        opening.complete(store);
        assertThat(provider.closed.get()).isEqualTo(1);
    }

    private static Providers<TelemetryStoreProvider> providers(TelemetryStoreProvider provider) {
        return Providers.of(TelemetryStoreProvider.class, List.of(provider), TelemetryStoreProvider::type);
    }


    /** Type {@code fake}: opens in-memory stores, counting opens and closes. */
    private static class FakeProvider implements TelemetryStoreProvider {
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final List<Path> paths = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile String openedOn;
        private final boolean exists;

        FakeProvider(boolean exists) {
            this.exists = exists;
        }

        @Override
        public String type() {
            return "fake";
        }

        @Override
        public boolean exists(TelemetrySettings settings) {
            return exists;
        }

        @Override
        public TelemetryStore open(TelemetrySettings settings, Clock clock) {
            opened.incrementAndGet();
            paths.add(settings.path());
            openedOn = Thread.currentThread().getName();
            return new CloseCountingStore(new InMemoryTelemetryStore(), closed);
        }
    }
}
