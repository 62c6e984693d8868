package io.llmservice.core.internal.spi;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import io.llmservice.config.RoutingPolicy;
import io.llmservice.core.internal.routing.BuiltInStrategies;
import io.llmservice.spi.RoutingStrategy;
import io.llmservice.spi.RoutingStrategyProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProvidersTest {

    /** A second provider that claims the built-in name "preference". */
    public static final class Impostor implements RoutingStrategyProvider {
        @Override
        public String type() {
            return "preference";
        }

        @Override
        public RoutingStrategy create(RoutingPolicy policy) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void of_twoProvidersWithSameType_failFastNamingBothClasses() {
        assertThatThrownBy(() -> Providers.of(RoutingStrategyProvider.class,
                List.of(new BuiltInStrategies.Preference(), new Impostor()), RoutingStrategyProvider::type))
                .isInstanceOfSatisfying(LlmServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_CONFLICT);
                    assertThat(e.getMessage()).isEqualTo("two RoutingStrategyProviders claim type 'preference': "
                            + BuiltInStrategies.Preference.class.getName() + " and " + Impostor.class.getName()
                            + "; remove one of them from the class path");
                });
    }

    @Test
    void load_findsBuiltInsThroughServiceLoader() {
        Providers<RoutingStrategyProvider> p = Providers.load(RoutingStrategyProvider.class,
                getClass().getClassLoader(), RoutingStrategyProvider::type);
        assertThat(p.types()).contains("preference", "cost-optimized");
    }

    @Test
    void load_brokenProviderEntry_isSkippedAndOthersLoad(@TempDir Path dir) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(RoutingStrategyProvider.class.getName()),
                "com.example.DoesNotExist\n" + Impostor.class.getName() + "\n");
        // Parent-last for the services file only: the parent holds the built-ins, this loader adds the entries above.
        try (URLClassLoader loader = new URLClassLoader(new URL[]{dir.toUri().toURL()}, null) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                return ProvidersTest.class.getClassLoader().loadClass(name);
            }
        }) {
            Providers<RoutingStrategyProvider> p = Providers.load(RoutingStrategyProvider.class, loader,
                    RoutingStrategyProvider::type);
            assertThat(p.types()).containsExactly("preference");
            assertThat(p.require("preference")).isInstanceOf(Impostor.class);
        }
    }

    @Test
    void require_unknownType_namesKnownOnes() {
        Providers<RoutingStrategyProvider> p = Providers.of(RoutingStrategyProvider.class,
                List.of(new BuiltInStrategies.Preference()), RoutingStrategyProvider::type);
        assertThatThrownBy(() -> p.require("fastest")).hasMessage(
                "no RoutingStrategyProvider of type 'fastest' found (known: preference)");
    }
}
