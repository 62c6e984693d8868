package io.llmservice.core.internal.config;

import io.llmservice.ConfigException;
import io.llmservice.ConfigSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

class SmokeTest {
    @Test
    void smoke() throws Exception {
        ConfigLoader loader = new ConfigLoader(new KnownTypes(Set.of("cli"), Set.of("preference", "cost-optimized"), Set.of("limit"), Set.of("memory")));
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/config/bad")).sorted()) {
            for (Path p : (Iterable<Path>) files::iterator) {
                run(loader, p);
            }
        }
        for (String p : new String[] {"src/test/resources/config/ambiguous", "src/test/resources/config/split", "src/test/resources/config/split-bad", "src/test/resources/config/extends/cycle.yaml", "src/test/resources/config/extends/chain.yaml", "src/test/resources/config/good/full.yaml", "nope.yaml"}) {
            run(loader, Path.of(p));
        }
    }

    private void run(ConfigLoader loader, Path p) {
        System.out.println("=== " + p);
        try {
            System.out.println("LOADED " + loader.load(ConfigSource.path(p), Map.of("ACME_TOKEN", "t0k")));
        } catch (ConfigException e) {
            e.problems().forEach(System.out::println);
        }
    }
}
