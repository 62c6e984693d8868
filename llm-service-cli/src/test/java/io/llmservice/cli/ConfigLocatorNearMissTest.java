package io.llmservice.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** "No configuration found" names a configuration under a near-miss name or place, and the right one. */
class ConfigLocatorNearMissTest {
    @TempDir
    Path tmp;

    Path home;
    Path cwd;
    ConfigLocator locator;

    @BeforeEach
    void setUp() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        cwd = Files.createDirectories(tmp.resolve("cwd"));
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        locator = new ConfigLocator(new CliEnvironment(Map.of("HOME", home.toString()), cwd, home,
                InputStream.nullInputStream(), sink, sink, false));
    }

    private static void touch(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "agents: {}\n");
    }

    @Test
    void notFound_ymlInTheWorkingDirectory_namesItAndTheRightName() throws Exception {
        touch(cwd.resolve("llm-service.yml"));

        assertThat(locator.locate(Optional.empty())).isEmpty();
        UsageException e = locator.notFound();

        assertThat(e.getMessage()).startsWith("no configuration found: ")
                .endsWith("; found " + cwd.resolve("llm-service.yml") + ", but the file must be named llm-service.yaml");
        assertThat(e.hint()).isEqualTo("rename it: mv '" + cwd.resolve("llm-service.yml") + "' '"
                + cwd.resolve("llm-service.yaml") + "'");
    }

    @Test
    void notFound_yamlBesideTheUserDirectory_namesTheRightPlace() throws Exception {
        Path user = locator.userDirectory();
        Path misplaced = user.resolveSibling("llm-service.yaml");
        touch(misplaced);

        assertThat(locator.locate(Optional.empty())).isEmpty();
        UsageException e = locator.notFound();

        assertThat(e.getMessage()).endsWith("; found " + misplaced + ", but the user configuration goes in the"
                + " directory " + user + "/");
        assertThat(e.hint()).isEqualTo("move it: mkdir -p '" + user + "' && mv '" + misplaced + "' '"
                + user.resolve("llm-service.yaml") + "'");
    }

    @Test
    void notFound_nothingNearEither_suggestsAStarter() {
        UsageException e = locator.notFound();

        assertThat(e.getMessage()).doesNotContain("found ");
        assertThat(e.hint()).startsWith("run 'llm-service config init'");
    }
}
