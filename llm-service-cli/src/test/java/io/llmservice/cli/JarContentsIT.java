package io.llmservice.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/cli.md lists what the executable jar bundles ("shaded: API, core, ..."); this reads that
 * list and the jar and checks they agree, so adding a library to the jar (or dropping one) without
 * saying so fails here.
 */
class JarContentsIT {
    /** Each library the docs name, and a path in the jar that only it provides. */
    private static final Map<String, String> NAMED = Map.of(
            "API", "io/llmservice/LlmService.class",
            "core", "io/llmservice/core/",
            "the H2 telemetry store", "io/llmservice/telemetry/h2/",
            "H2", "org/h2/Driver.class",
            "Flyway", "org/flywaydb/core/Flyway.class",
            "picocli", "picocli/CommandLine.class",
            "Jackson", "com/fasterxml/jackson/databind/",
            "SnakeYAML", "org/snakeyaml/engine/",
            "Hibernate Validator", "org/hibernate/validator/",
            "slf4j-simple", "org/slf4j/simple/");

    /** Classes that come with a named library (its own dependencies), so the docs need not list them. */
    private static final List<String> PART_OF_A_NAMED_ONE = List.of(
            "io/llmservice/cli/", "io/llmservice/", "org/slf4j/", "jakarta/validation/", "jakarta/el/",
            "org/jboss/logging/", "com/fasterxml/classmate/", "com/fasterxml/jackson/", "com/knuddels/jtokkit/",
            "org/apache/commons/csv/", "org/glassfish/");

    @Test
    void theLibrariesDocsCliNames_areTheOnesInTheJar() throws Exception {
        String cliMd = Files.readString(Path.of("../docs/cli.md")).replaceAll("\\s+", " ");
        Matcher m = Pattern.compile("\\(shaded: ([^;]+);").matcher(cliMd);
        assertThat(m.find()).as("docs/cli.md has the '(shaded: ...;' list").isTrue();
        String listed = m.group(1);

        Set<String> entries = new TreeSet<>();
        try (ZipFile jar = new ZipFile(CliRun.JAR.toFile())) {
            Collections.list(jar.entries()).stream().map(ZipEntry::getName).forEach(entries::add);
        }
        NAMED.forEach((name, path) -> {
            boolean inJar = entries.stream().anyMatch(e -> e.startsWith(path));
            assertThat(listed.contains(name)).as("docs/cli.md names '%s' (in the jar: %s): %s", name, inJar, listed)
                    .isEqualTo(inJar);
        });
        Set<String> unaccounted = new TreeSet<>();
        for (String e : entries) {
            if (e.endsWith(".class") && !e.startsWith("META-INF/")
                    && NAMED.values().stream().noneMatch(e::startsWith)
                    && PART_OF_A_NAMED_ONE.stream().noneMatch(e::startsWith)) {
                unaccounted.add(e.contains("/") ? e.substring(0, e.lastIndexOf('/') + 1) : e);
            }
        }
        assertThat(unaccounted).as("packages of the jar that docs/cli.md's list does not account for").isEmpty();
    }
}
