package io.llmservice.core.internal;

import io.llmservice.Ticker;
import io.llmservice.ErrorCode;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.OsFamily;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.config.Tier;
import io.llmservice.config.ToolDefinition;
import io.llmservice.core.internal.budget.LimitBudgetPolicyProvider;
import io.llmservice.core.internal.ratelimit.Sleeper;
import io.llmservice.core.internal.routing.BuiltInStrategies;
import io.llmservice.core.internal.spi.Providers;
import io.llmservice.core.internal.telemetry.InMemoryTelemetryStore;
import io.llmservice.ConfigSource;
import io.llmservice.spi.AdapterContext;
import io.llmservice.spi.BudgetPolicyProvider;
import io.llmservice.spi.LlmServiceSettings;
import io.llmservice.spi.RoutingStrategyProvider;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.spi.TelemetryStoreProvider;
import io.llmservice.spi.ToolAdapter;
import io.llmservice.spi.ToolAdapterProvider;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How {@link ServiceAssembly} opens the configured telemetry store: beside the adapters, never half-way. */
class ServiceAssemblyTest {
    private static final LlmConfig CONFIG = TestConfigs.create()
            .model("m", Tier.STANDARD, 100_000, "1", "2")
            .tool("t", ScriptedAdapter.TYPE, "m")
            .agent("a", "team", "t", "m")
            .build();

    @Test
    void theStoreOpens_onAnotherThread_whileTheAdaptersAreBuilt() throws Exception {
        CountDownLatch opening = new CountDownLatch(1);
        AtomicReference<String> openedOn = new AtomicReference<>();
        StoreProvider stores = new StoreProvider(settings -> {
            openedOn.set(Thread.currentThread().getName());
            opening.countDown();
            return new InMemoryTelemetryStore();
        });
        // The adapter waits for the store to be opening: built one after the other, this never completes.
        ToolAdapterProvider adapters = adapters(() -> {
            try {
                if (!opening.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the store did not start opening while the adapters were built");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });

        try (LlmService service = assemble(adapters, stores)) {
            assertThat(service.config().agents()).containsKey("a");
        }
        assertThat(openedOn.get()).isEqualTo("llm-service-telemetry-open").isNotEqualTo(Thread.currentThread().getName());
        assertThat(stores.closed.get()).isEqualTo(1);
    }

    @Test
    void aStoreThatCannotOpen_failsTheBuild_withItsOwnError() {
        LlmServiceException locked = new LlmServiceException(ErrorCode.TELEMETRY_STORE, "database is locked");
        StoreProvider stores = new StoreProvider(settings -> {
            throw locked;
        });

        assertThatThrownBy(() -> assemble(adapters(() -> { }), stores)).isSameAs(locked);
    }

    @Test
    void anAdapterThatCannotBeBuilt_failsTheBuild_andTheStoreItOpenedIsClosed() throws Exception {
        CountDownLatch mayOpen = new CountDownLatch(1);
        StoreProvider stores = new StoreProvider(settings -> {
            try {
                mayOpen.await(10, TimeUnit.SECONDS);   // still opening when the adapter fails
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new InMemoryTelemetryStore();
        });
        IllegalStateException broken = new IllegalStateException("adapter broken");

        assertThatThrownBy(() -> assemble(adapters(() -> {
            throw broken;
        }), stores)).isInstanceOf(LlmServiceException.class)
                .hasMessageContaining("could not build the service: java.lang.IllegalStateException: adapter broken")
                .hasNoCause();   // a provider's raw exception may quote configuration values

        assertThat(stores.closed.get()).isZero();
        mayOpen.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (stores.closed.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(stores.closed.get()).isEqualTo(1);
    }

    @Test
    void aStoreTheCallerGives_isUsedAsIs_andNothingIsOpened() {
        StoreProvider stores = new StoreProvider(settings -> {
            throw new AssertionError("must not open a store when the caller gave one");
        });
        InMemoryTelemetryStore own = new InMemoryTelemetryStore();
        LlmServiceSettings settings = new LlmServiceSettings(ConfigSource.text("test", ""), Clock.systemUTC(), Ticker.system(), List.of(),
                Optional.of(own), getClass().getClassLoader(), Map.of(), Optional.empty());

        try (LlmService service = ServiceAssembly.assemble(CONFIG, settings, providers(adapters(() -> { }), stores),
                OsFamily.LINUX, Sleeper.real())) {
            assertThat(service.config().agents()).containsKey("a");
        }
        assertThat(stores.opened.get()).isZero();
    }

    private static LlmService assemble(ToolAdapterProvider adapters, StoreProvider stores) {
        LlmServiceSettings settings = new LlmServiceSettings(ConfigSource.text("test", ""), Clock.systemUTC(), Ticker.system(), List.of(),
                Optional.empty(), ServiceAssemblyTest.class.getClassLoader(), Map.of(), Optional.empty());
        return ServiceAssembly.assemble(CONFIG, settings, providers(adapters, stores), OsFamily.LINUX, Sleeper.real());
    }

    private static ServiceAssembly.ProviderSet providers(ToolAdapterProvider adapters, StoreProvider stores) {
        return new ServiceAssembly.ProviderSet(
                Providers.of(ToolAdapterProvider.class, List.of(adapters), ToolAdapterProvider::type),
                Providers.of(RoutingStrategyProvider.class, List.of(new BuiltInStrategies.Preference()),
                        RoutingStrategyProvider::type),
                Providers.of(BudgetPolicyProvider.class, List.of(new LimitBudgetPolicyProvider()),
                        BudgetPolicyProvider::type),
                Providers.of(TelemetryStoreProvider.class, List.of(stores), TelemetryStoreProvider::type));
    }

    /** Scripted adapters whose creation runs {@code onCreate} first. */
    private static ToolAdapterProvider adapters(Runnable onCreate) {
        ToolAdapterProvider scripted = new ScriptedAdapter.Scripts().provider();
        return new ToolAdapterProvider() {
            @Override
            public String type() {
                return ScriptedAdapter.TYPE;
            }

            @Override
            public ToolAdapter create(ToolDefinition tool, AdapterContext context) {
                onCreate.run();
                return scripted.create(tool, context);
            }
        };
    }

    /** A {@code memory} store provider that opens through {@code open} and counts opens and closes. */
    private static final class StoreProvider implements TelemetryStoreProvider {
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        private final java.util.function.Function<TelemetrySettings, TelemetryStore> open;

        StoreProvider(java.util.function.Function<TelemetrySettings, TelemetryStore> open) {
            this.open = open;
        }

        @Override
        public String type() {
            return "memory";
        }

        @Override
        public TelemetryStore open(TelemetrySettings settings, Clock clock) {
            opened.incrementAndGet();
            TelemetryStore store = open.apply(settings);
            return new CloseCountingStore(store, closed);
        }
    }
}
