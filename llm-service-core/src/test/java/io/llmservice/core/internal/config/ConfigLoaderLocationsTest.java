package io.llmservice.core.internal.config;

import io.llmservice.ConfigSource;
import io.llmservice.config.DefaultLocations;
import io.llmservice.config.OsFamily;
import io.llmservice.config.TelemetrySettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static io.llmservice.core.internal.config.ConfigLoaderTest.TYPES;
import static org.assertj.core.api.Assertions.assertThat;

/** The default telemetry path and {@code ~} follow the environment's home and the platform (docs/configuration.md). */
class ConfigLoaderLocationsTest {
    @TempDir
    Path tmp;

    Path home;
    /** Java's user.home: must never be used while the environment names a home. */
    Path accountHome;
    final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        accountHome = Files.createDirectories(tmp.resolve("account"));
        env.put("HOME", home.toString());
    }

    private TelemetrySettings telemetry(OsFamily os, String policies) {
        ConfigLoader loader = new ConfigLoader(TYPES, os, accountHome);
        return loader.load(ConfigSource.text("llm.yaml", "agents: {}\n" + policies), env).policies().telemetry();
    }

    @Test
    void defaultPath_linux_isUnderHomeLocalShare_notUserHome() {
        assertThat(telemetry(OsFamily.LINUX, "").path()).isEqualTo(home.resolve(".local/share/llm-service/telemetry"));
    }

    @Test
    void defaultPath_linux_followsXdgDataHome() {
        env.put("XDG_DATA_HOME", tmp.resolve("xdg-data").toString());

        assertThat(telemetry(OsFamily.LINUX, "").path()).isEqualTo(tmp.resolve("xdg-data/llm-service/telemetry"));
    }

    @Test
    void defaultPath_macos_isApplicationSupport() {
        assertThat(telemetry(OsFamily.MACOS, "").path())
                .isEqualTo(home.resolve("Library/Application Support/llm-service/telemetry"));
    }

    @Test
    void defaultPath_windows_isLocalAppData() {
        env.put("LOCALAPPDATA", tmp.resolve("local").toString());

        assertThat(telemetry(OsFamily.WINDOWS, "").path()).isEqualTo(tmp.resolve("local/llm-service/telemetry"));
    }

    @Test
    void tildeInPath_isTheEnvironmentsHome_notUserHome() {
        assertThat(telemetry(OsFamily.LINUX, "policies: {telemetry: {path: ~/t/telemetry}}\n").path())
                .isEqualTo(home.resolve("t/telemetry"));
    }

    @Test
    void noHomeVariable_fallsBackToUserHome() {
        env.remove("HOME");

        assertThat(telemetry(OsFamily.LINUX, "").path())
                .isEqualTo(accountHome.resolve(".local/share/llm-service/telemetry"));
    }

    @Test
    void oldStoreOnly_isStillUsed_andMarkedNoticed() throws Exception {
        Path old = Files.createDirectories(home.resolve(".llm-service"));
        Files.writeString(old.resolve("telemetry.mv.db"), "data");

        assertThat(telemetry(OsFamily.LINUX, "").path()).isEqualTo(old.resolve("telemetry"));
        assertThat(old.resolve(DefaultLocations.NOTICE_MARKER)).exists();
    }

    @Test
    void oldStore_withAnExplicitPathOrMemoryStore_noNotice() throws Exception {
        Path old = Files.createDirectories(home.resolve(".llm-service"));
        Files.writeString(old.resolve("telemetry.mv.db"), "data");

        assertThat(telemetry(OsFamily.LINUX, "policies: {telemetry: {path: ~/.llm-service/telemetry}}\n").path())
                .isEqualTo(old.resolve("telemetry"));
        telemetry(OsFamily.LINUX, "policies: {telemetry: {store: memory}}\n");

        assertThat(old.resolve(DefaultLocations.NOTICE_MARKER)).doesNotExist();
    }
}
