package io.llmservice.core.internal.config;

import io.llmservice.ConfigProblem;
import io.llmservice.core.internal.BackgroundTask;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The start-up work every {@link ConfigLoader} of a process shares, done once per process: the
 * Hibernate Validator bootstrap (a few hundred milliseconds of reflection on a cold JVM) and the
 * parsed built-in catalogue. Neither depends on the providers or the configuration.
 *
 * <p>The validator is built on a short-lived daemon thread, started by the first
 * {@link #validator()} or by {@link #start()}, which a short-lived process calls as early as it
 * can (through {@code LlmService.prepare()}) so that the bootstrap overlaps its own start-up.
 * A bootstrap that failed is forgotten, so the next load tries again and reports the failure
 * itself. Thread-safe.
 */
final class ConfigBootstrap {
    private static final InBackground<BindingValidator> VALIDATOR =
            new InBackground<>(BindingValidator::new, "llm-service-validator-bootstrap");

    private ConfigBootstrap() {
    }

    /** Starts the validator bootstrap in the background, unless it has started already. */
    static void start() {
        VALIDATOR.get();
    }

    /** The shared validator, being built or built. */
    static CompletableFuture<BindingValidator> validator() {
        return VALIDATOR.get();
    }

    /** The built-in catalogue, parsed on first use; its nodes are never modified, so sharing them is safe. */
    static Catalogue catalogue() {
        return CatalogueHolder.CATALOGUE;
    }

    /** The parsed catalogue ({@code null} when it could not be read or parsed) and the problems that caused that. */
    record Catalogue(Node root, List<ConfigProblem> problems) {
    }

    private static final class CatalogueHolder {
        static final Catalogue CATALOGUE = parse();

        private static Catalogue parse() {
            Problems problems = new Problems();
            Optional<byte[]> bytes = ConfigLayout.resource(ConfigLoader.class, ConfigLoader.CATALOGUE_RESOURCE);
            Node root = null;
            if (bytes.isEmpty()) {
                problems.inSource(ConfigLoader.CATALOGUE_SOURCE, "", "the built-in catalogue is missing from the class"
                        + " path; the llm-service-core jar is damaged: reinstall it");
            } else {
                root = new YamlParser().parseBytes(bytes.get(), ConfigLoader.CATALOGUE_SOURCE, problems).orElse(null);
            }
            return new Catalogue(root, problems.all());
        }
    }

    /**
     * A value computed once, on a daemon thread of its own, by the first {@link #get()}; a
     * computation that failed is forgotten, so the next {@code get()} starts another.
     */
    static final class InBackground<T> {
        private final AtomicReference<CompletableFuture<T>> current = new AtomicReference<>();
        private final Supplier<T> compute;
        private final String threadName;

        InBackground(Supplier<T> compute, String threadName) {
            this.compute = compute;
            this.threadName = threadName;
        }

        CompletableFuture<T> get() {
            while (true) {
                CompletableFuture<T> seen = current.get();
                if (seen != null && !seen.isCompletedExceptionally()) {
                    return seen;
                }
                CompletableFuture<T> mine = new CompletableFuture<>();
                if (current.compareAndSet(seen, mine)) {
                    return BackgroundTask.completeOnDaemon(mine, threadName, compute);
                }
            }
        }
    }
}
