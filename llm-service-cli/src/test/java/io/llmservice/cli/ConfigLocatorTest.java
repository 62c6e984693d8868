package io.llmservice.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigLocatorTest {
    @TempDir
    Path tmp;

    Path home;
    Path cwd;
    final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        cwd = Files.createDirectories(tmp.resolve("cwd"));
    }

    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Optional<ConfigLocator.Location> locate(Path option) {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        CliEnvironment e = new CliEnvironment(env, cwd, home, InputStream.nullInputStream(), sink,
                new PrintStream(err, true), false);
        return new ConfigLocator(e).locate(Optional.ofNullable(option));
    }

    private void touch(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "agents: {}\n");
    }

    @Test
    void locate_nothingAnywhere_isEmpty() {
        assertThat(locate(null)).isEmpty();
    }

    @Test
    void locate_optionWins_overEverythingElse_evenWhenMissing() throws Exception {
        touch(cwd.resolve("llm-service.yaml"));
        env.put("LLM_SERVICE_CONFIG", tmp.resolve("from-env.yaml").toString());

        assertThat(locate(Path.of("given.yaml"))).contains(new ConfigLocator.Location(cwd.resolve("given.yaml"), "--config"));
    }

    @Test
    void locate_variable_beatsTheWorkingDirectory_andIsTakenAsGiven() throws Exception {
        touch(cwd.resolve("llm-service.yaml"));
        env.put("LLM_SERVICE_CONFIG", tmp.resolve("missing.yaml").toString());

        assertThat(locate(null)).contains(new ConfigLocator.Location(tmp.resolve("missing.yaml"), "$LLM_SERVICE_CONFIG"));
    }

    @Test
    void locate_emptyVariable_countsAsUnset() throws Exception {
        touch(cwd.resolve("llm-service.yaml"));
        env.put("LLM_SERVICE_CONFIG", "");

        assertThat(locate(null)).map(ConfigLocator.Location::rule).contains("./llm-service.yaml");
    }

    @Test
    void locate_workingDirectoryFile_beatsTheLocalDirectory_andTheUserDirectory() throws Exception {
        touch(cwd.resolve("llm-service.yaml"));
        touch(cwd.resolve(".llm-service/agents.yaml"));
        touch(home.resolve(".config/llm-service/llm-service.yaml"));

        assertThat(locate(null)).contains(new ConfigLocator.Location(cwd.resolve("llm-service.yaml"), "./llm-service.yaml"));
    }

    @Test
    void locate_localSplitDirectory_beatsTheUserDirectory() throws Exception {
        touch(cwd.resolve(".llm-service/agents.yaml"));
        touch(home.resolve(".config/llm-service/llm-service.yaml"));

        assertThat(locate(null)).contains(new ConfigLocator.Location(cwd.resolve(".llm-service"), "./.llm-service/"));
    }

    @Test
    void locate_emptyLocalDirectory_isSkipped() throws Exception {
        Files.createDirectories(cwd.resolve(".llm-service"));
        touch(home.resolve(".config/llm-service/policies.yaml"));

        assertThat(locate(null)).contains(new ConfigLocator.Location(home.resolve(".config/llm-service"),
                "~/.config/llm-service/"));
    }

    @Test
    void locate_userDirectoryWithSingleFile_isFound() throws Exception {
        touch(home.resolve(".config/llm-service/llm-service.yaml"));

        assertThat(locate(null)).map(ConfigLocator.Location::path).contains(home.resolve(".config/llm-service"));
    }

    @Test
    void locate_tildeInOption_isTheHomeDirectory() {
        assertThat(locate(Path.of("~/conf/llm.yaml"))).map(ConfigLocator.Location::path)
                .contains(home.resolve("conf/llm.yaml"));
    }

    @Test
    void locate_xdgConfigHome_isTheUserDirectory() throws Exception {
        Path xdg = tmp.resolve("xdg");
        env.put("XDG_CONFIG_HOME", xdg.toString());
        touch(xdg.resolve("llm-service/llm-service.yaml"));
        touch(home.resolve(".config/llm-service/llm-service.yaml"));

        assertThat(locate(null)).contains(new ConfigLocator.Location(xdg.resolve("llm-service"),
                xdg.resolve("llm-service") + "/"));
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void locate_onlyTheOldUserDirectory_isStillRead_withANoteShownOnce() throws Exception {
        env.put("XDG_CONFIG_HOME", tmp.resolve("xdg").toString());
        touch(home.resolve(".config/llm-service/agents.yaml"));

        assertThat(locate(null)).contains(new ConfigLocator.Location(home.resolve(".config/llm-service"),
                "~/.config/llm-service/, the old place"));
        assertThat(err.toString()).startsWith("note: configuration read from the old place "
                + home.resolve(".config/llm-service")).contains(tmp.resolve("xdg/llm-service").toString());
        err.reset();
        assertThat(locate(null)).map(ConfigLocator.Location::path).contains(home.resolve(".config/llm-service"));
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void locate_tildeInVariable_isTheHomeVariable() {
        env.put("HOME", tmp.resolve("other-home").toString());
        env.put("LLM_SERVICE_CONFIG", "~/conf");

        assertThat(locate(null)).map(ConfigLocator.Location::path).contains(tmp.resolve("other-home/conf"));
    }

    @Test
    void homeOf_prefersHomeVariable_overUserHome() {
        assertThat(CliEnvironment.homeOf(Map.of("HOME", "/h"), "/u")).isEqualTo(Path.of("/h"));
        assertThat(CliEnvironment.homeOf(Map.of("HOME", ""), "/u")).isEqualTo(Path.of("/u"));
        assertThat(CliEnvironment.homeOf(Map.of(), "/u")).isEqualTo(Path.of("/u"));
    }
}
