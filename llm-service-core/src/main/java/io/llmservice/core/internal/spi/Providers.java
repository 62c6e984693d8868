package io.llmservice.core.internal.spi;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Loads SPI providers with {@link ServiceLoader} and indexes them by their {@code type()} name.
 * The one place all provider discovery goes through.
 *
 * <p>A provider that fails to instantiate is reported in the log and skipped (as SLF4J does), so
 * one broken jar does not take the others down; two providers claiming the same name fail fast,
 * naming both classes, because silently picking one would route calls to the wrong code.
 *
 * @param <P> the provider interface
 */
public final class Providers<P> {
    private static final Logger LOG = LoggerFactory.getLogger(Providers.class);

    private final Class<P> kind;
    private final Map<String, P> byType;

    private Providers(Class<P> kind, Map<String, P> byType) {
        this.kind = kind;
        this.byType = Collections.unmodifiableMap(byType);
    }

    /**
     * Loads every provider of {@code kind} visible to {@code loader}.
     *
     * @param typeOf extracts the provider's {@code type()} name
     * @throws LlmServiceException with {@link ErrorCode#PROVIDER_CONFLICT} when two providers share a name
     */
    public static <P> Providers<P> load(Class<P> kind, ClassLoader loader, Function<P, String> typeOf) {
        Map<String, P> byType = new LinkedHashMap<>();
        Iterator<P> it = ServiceLoader.load(kind, loader).iterator();
        while (true) {
            P provider;
            try {
                if (!it.hasNext()) {
                    break;
                }
                provider = it.next();
            } catch (ServiceConfigurationError e) {
                LOG.error("skipping a {} that could not be loaded: {}", kind.getSimpleName(), e.getMessage());
                continue;
            }
            register(kind, byType, provider, typeOf);
        }
        return new Providers<>(kind, byType);
    }

    /** Builds an index from explicit instances (tests, embedded use); the same duplicate rule applies. */
    public static <P> Providers<P> of(Class<P> kind, Iterable<? extends P> providers, Function<P, String> typeOf) {
        Map<String, P> byType = new LinkedHashMap<>();
        for (P p : providers) {
            register(kind, byType, p, typeOf);
        }
        return new Providers<>(kind, byType);
    }

    private static <P> void register(Class<P> kind, Map<String, P> byType, P provider, Function<P, String> typeOf) {
        String type;
        try {
            type = typeOf.apply(provider);
        } catch (RuntimeException e) {
            LOG.error("skipping {} {}: type() failed: {}", kind.getSimpleName(), provider.getClass().getName(),
                    e.toString());
            return;
        }
        if (type == null || type.isBlank()) {
            LOG.error("skipping {} {}: type() returned no name", kind.getSimpleName(), provider.getClass().getName());
            return;
        }
        P previous = byType.putIfAbsent(type, provider);
        if (previous != null && previous.getClass() != provider.getClass()) {
            throw new LlmServiceException(ErrorCode.PROVIDER_CONFLICT, "two " + kind.getSimpleName()
                    + "s claim type '" + type + "': " + previous.getClass().getName() + " and "
                    + provider.getClass().getName() + "; remove one of them from the class path");
        }
    }

    /** The provider for a type name. */
    public Optional<P> get(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** Every type name, in discovery order. */
    public java.util.Set<String> types() {
        return byType.keySet();
    }

    /** The provider for a type name, or an error listing the known names. */
    public P require(String type) {
        P p = byType.get(type);
        if (p == null) {
            throw new LlmServiceException(ErrorCode.PROVIDER_MISSING, "no " + kind.getSimpleName() + " of type '"
                    + type + "' found (known: " + String.join(", ", byType.keySet()) + ")");
        }
        return p;
    }
}
