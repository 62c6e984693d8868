package io.llmservice.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
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
    /** A library the docs name, a class only it provides, and the package its classes live in. */
    private record Library(String name, String marker, String packagePrefix) {
    }

    private static final List<Library> NAMED = List.of(
            new Library("API", "io/llmservice/LlmService.class", "io/llmservice/"),
            new Library("core", "io/llmservice/core/", "io/llmservice/core/"),
            new Library("the H2 telemetry store", "io/llmservice/telemetry/h2/", "io/llmservice/telemetry/h2/"),
            new Library("H2", "org/h2/Driver.class", "org/h2/"),
            new Library("the PostgreSQL telemetry store", "io/llmservice/telemetry/postgres/",
                    "io/llmservice/telemetry/postgres/"),
            new Library("the PostgreSQL JDBC driver", "org/postgresql/Driver.class", "org/postgresql/"),
            new Library("HikariCP", "com/zaxxer/hikari/", "com/zaxxer/hikari/"),
            new Library("Flyway", "org/flywaydb/core/Flyway.class", "org/flywaydb/"),
            new Library("picocli", "picocli/CommandLine.class", "picocli/"),
            new Library("Jackson", "com/fasterxml/jackson/databind/", "com/fasterxml/jackson/"),
            new Library("JsonPath", "com/jayway/jsonpath/", "com/jayway/jsonpath/"),
            new Library("Commons CSV", "org/apache/commons/csv/", "org/apache/commons/csv/"),
            new Library("SnakeYAML", "org/snakeyaml/engine/", "org/snakeyaml/"),
            new Library("Hibernate Validator", "org/hibernate/validator/", "org/hibernate/validator/"),
            new Library("slf4j-simple", "org/slf4j/simple/", "org/slf4j/"));

    /** Packages that come with a named library (its own dependencies), so the docs need not list them. */
    private static final List<String> PART_OF_A_NAMED_ONE = List.of(
            "jakarta/validation/", "org/jboss/logging/", "com/fasterxml/classmate/", // Hibernate Validator's
            "org/apache/commons/io/", "org/apache/commons/codec/",                   // Commons CSV's
            "org/checkerframework/");                                                // the PostgreSQL driver's

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
        for (Library library : NAMED) {
            boolean inJar = entries.stream().anyMatch(e -> e.startsWith(library.marker()));
            assertThat(listed.contains(library.name())).as("docs/cli.md names '%s' (in the jar: %s): %s",
                    library.name(), inJar, listed).isEqualTo(inJar);
        }
        Set<String> unaccounted = new TreeSet<>();
        for (String e : entries) {
            if (e.endsWith(".class") && !e.startsWith("META-INF/")
                    && NAMED.stream().noneMatch(l -> e.startsWith(l.packagePrefix()))
                    && PART_OF_A_NAMED_ONE.stream().noneMatch(e::startsWith)) {
                unaccounted.add(e.contains("/") ? e.substring(0, e.lastIndexOf('/') + 1) : e);
            }
        }
        assertThat(unaccounted).as("packages of the jar that docs/cli.md's list does not account for").isEmpty();
    }
}
