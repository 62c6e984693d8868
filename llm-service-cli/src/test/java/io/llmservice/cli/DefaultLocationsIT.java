package io.llmservice.cli;

import io.llmservice.testkit.FakeCli;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command with {@code HOME} pointed at a fresh directory and Java's {@code user.home} at another
 * (the account's home from the password database): configuration and telemetry are found and
 * written where docs/configuration.md's "Default locations" table says for Linux, never under
 * {@code user.home}.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "the XDG rows of the table; macOS and Windows are unit-tested")
class DefaultLocationsIT {
    @TempDir
    Path tmp;

    Path home;
    Path accountHome;
    Path work;
    CliRun cli;
    FakeCli claude;

    @BeforeEach
    void setUp() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        accountHome = Files.createDirectories(tmp.resolve("account-home"));
        work = Files.createDirectories(tmp.resolve("work"));
        // The last -Duser.home wins: the JVM's user.home is not the HOME the environment names.
        cli = new CliRun(home, work).jvmOption("-Duser.home=" + accountHome);
        claude = FakeCli.builder().name("claude").stdout(CliRun.claudeSuccess()).build(tmp.resolve("fakes"));
    }

    @AfterEach
    void tearDown() {
        cli.run("daemon", "stop");
        cli.close();
    }

    private void config(Path file, String policies) {
        CliRun.write(file, """
                tools:
                  claude-code: {extends: claude-code, binary: "%s"}
                agents:
                  reviewer: {tool: claude-code, model: claude-sonnet-4-5}
                policies:
                  default_agent: reviewer
                %s
                """.formatted(claude.binary(), policies));
    }

    @Test
    void noXdgVariables_configFromHomeConfig_dataInHomeLocalShare_nothingInUserHome() {
        config(home.resolve(".config/llm-service/llm-service.yaml"), "");

        CliRun.Result exec = cli.run("exec", "--verbose", "hi");

        assertThat(exec.exitCode()).as(exec.toString()).isZero();
        assertThat(exec.stderr()).contains("config: " + home.resolve(".config/llm-service")
                + " (from ~/.config/llm-service/)");
        assertThat(home.resolve(".local/share/llm-service/telemetry.mv.db")).exists();
        assertThat(home.resolve(".llm-service")).doesNotExist();
        assertThat(filesUnder(accountHome)).isEmpty();
        CliRun.Result daemon = cli.run("daemon", "status");
        assertThat(daemon.stdout()).as(daemon.toString()).contains(home.resolve(".local/share/llm-service/telemetry")
                .toString());
    }

    @Test
    void xdgVariables_configAndDataThere_nothingUnderEitherHome() {
        Path xdgConfig = tmp.resolve("xdg-config");
        Path xdgData = tmp.resolve("xdg-data");
        cli.env("XDG_CONFIG_HOME", xdgConfig.toString()).env("XDG_DATA_HOME", xdgData.toString());
        config(xdgConfig.resolve("llm-service/llm-service.yaml"), "");

        CliRun.Result exec = cli.run("exec", "hi");
        CliRun.Result stats = cli.run("stats", "--format", "csv", "--by", "agent");

        assertThat(exec.exitCode()).as(exec.toString()).isZero();
        assertThat(xdgData.resolve("llm-service/telemetry.mv.db")).exists();
        assertThat(filesUnder(home)).isEmpty();
        assertThat(filesUnder(accountHome)).isEmpty();
        assertThat(requestsOf(stats)).as(stats.toString()).containsExactly("reviewer", "1");
    }

    @Test
    void configInitUser_writesIntoTheXdgConfigDirectory() {
        Path xdgConfig = tmp.resolve("xdg-config");
        cli.env("XDG_CONFIG_HOME", xdgConfig.toString());

        CliRun.Result init = cli.run("config", "init", "--user");

        assertThat(init.exitCode()).as(init.toString()).isZero();
        assertThat(xdgConfig.resolve("llm-service/llm-service.yaml")).exists();
        assertThat(filesUnder(home)).isEmpty();
    }

    @Test
    void oldTelemetryPlace_isStillUsed_withANoticeShownOnce() throws Exception {
        Path file = work.resolve("llm-service.yaml");
        // What an earlier build wrote: the store in ~/.llm-service/telemetry.
        config(file, "  telemetry: {path: ~/.llm-service/telemetry}");
        assertThat(cli.run("exec", "first").exitCode()).isZero();
        assertThat(cli.run("daemon", "stop").exitCode()).isZero();
        assertThat(home.resolve(".llm-service/telemetry.mv.db")).exists();
        config(file, "");

        CliRun.Result second = cli.run("exec", "second");
        CliRun.Result third = cli.run("exec", "third");
        CliRun.Result stats = cli.run("stats", "--format", "csv", "--by", "agent");

        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.stderr()).contains("telemetry is still kept in the old place "
                + home.resolve(".llm-service/telemetry") + ".*", home.resolve(".local/share/llm-service/telemetry")
                + ".*", "(shown once)");
        assertThat(third.stderr()).as(third.toString()).doesNotContain("old place");
        assertThat(home.resolve(".local/share/llm-service")).doesNotExist();
        assertThat(requestsOf(stats)).as(stats.toString()).containsExactly("reviewer", "3");
    }

    /** The group and request count of {@code stats --format csv --by agent}'s only row. */
    private static List<String> requestsOf(CliRun.Result stats) {
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(stats.stdout()))) {
            CSVRecord row = parser.getRecords().get(0);
            return List.of(row.get("group"), row.get("requests"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> filesUnder(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
