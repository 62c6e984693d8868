package io.llmservice.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every row of the table in docs/configuration.md ("Default locations"), on a simulated OS and environment. */
class DefaultLocationsTest {
    private static final Path ACCOUNT_HOME = Path.of("/account/home");   // Java's user.home, from the password database

    @TempDir
    Path tmp;

    // ---- Linux and other Unix

    @Test
    void linux_noXdgVariables_usesHomeConfigAndLocalShare() {
        DefaultLocations where = DefaultLocations.of(OsFamily.LINUX, Map.of("HOME", "/home/me"), ACCOUNT_HOME);

        assertThat(where.home()).isEqualTo(Path.of("/home/me"));
        assertThat(where.configDirectory()).isEqualTo(Path.of("/home/me/.config/llm-service"));
        assertThat(where.dataDirectory()).isEqualTo(Path.of("/home/me/.local/share/llm-service"));
        assertThat(where.legacyConfigDirectory()).isEmpty();
        assertThat(where.legacyDataDirectory()).isEqualTo(Path.of("/home/me/.llm-service"));
    }

    @Test
    void linux_xdgVariables_win() {
        DefaultLocations where = DefaultLocations.of(OsFamily.LINUX, Map.of("HOME", "/home/me",
                "XDG_CONFIG_HOME", "/xdg/config", "XDG_DATA_HOME", "/xdg/data"), ACCOUNT_HOME);

        assertThat(where.configDirectory()).isEqualTo(Path.of("/xdg/config/llm-service"));
        assertThat(where.dataDirectory()).isEqualTo(Path.of("/xdg/data/llm-service"));
        assertThat(where.legacyConfigDirectory()).contains(Path.of("/home/me/.config/llm-service"));
    }

    @Test
    void linux_relativeOrEmptyXdgVariables_areIgnored() {
        DefaultLocations where = DefaultLocations.of(OsFamily.LINUX, Map.of("HOME", "/home/me",
                "XDG_CONFIG_HOME", "relative/config", "XDG_DATA_HOME", ""), ACCOUNT_HOME);

        assertThat(where.configDirectory()).isEqualTo(Path.of("/home/me/.config/llm-service"));
        assertThat(where.dataDirectory()).isEqualTo(Path.of("/home/me/.local/share/llm-service"));
    }

    @Test
    void linux_noHomeVariable_fallsBackToUserHome() {
        DefaultLocations where = DefaultLocations.of(OsFamily.LINUX, Map.of("HOME", " "), ACCOUNT_HOME);

        assertThat(where.home()).isEqualTo(ACCOUNT_HOME);
        assertThat(where.dataDirectory()).isEqualTo(ACCOUNT_HOME.resolve(".local/share/llm-service"));
    }

    // ---- macOS

    @Test
    void macos_usesApplicationSupport_forBoth_andIgnoresXdg() {
        DefaultLocations where = DefaultLocations.of(OsFamily.MACOS, Map.of("HOME", "/Users/me",
                "XDG_CONFIG_HOME", "/xdg/config", "XDG_DATA_HOME", "/xdg/data"), ACCOUNT_HOME);

        assertThat(where.configDirectory()).isEqualTo(Path.of("/Users/me/Library/Application Support/llm-service"));
        assertThat(where.dataDirectory()).isEqualTo(Path.of("/Users/me/Library/Application Support/llm-service"));
        assertThat(where.legacyConfigDirectory()).contains(Path.of("/Users/me/.config/llm-service"));
        assertThat(where.legacyDataDirectory()).isEqualTo(Path.of("/Users/me/.llm-service"));
    }

    // ---- Windows (paths made in the host's file system: the test checks which variable is used)

    @Test
    void windows_usesAppDataForConfig_andLocalAppDataForData() {
        DefaultLocations where = DefaultLocations.of(OsFamily.WINDOWS, Map.of("USERPROFILE", "/c/Users/me",
                "APPDATA", "/c/Users/me/AppData/Roaming", "LOCALAPPDATA", "/c/Users/me/AppData/Local",
                "HOME", "/ignored/on/windows", "XDG_CONFIG_HOME", "/ignored/too"), ACCOUNT_HOME);

        assertThat(where.home()).isEqualTo(Path.of("/c/Users/me"));
        assertThat(where.configDirectory()).isEqualTo(Path.of("/c/Users/me/AppData/Roaming/llm-service"));
        assertThat(where.dataDirectory()).isEqualTo(Path.of("/c/Users/me/AppData/Local/llm-service"));
        assertThat(where.legacyConfigDirectory()).contains(Path.of("/c/Users/me/.config/llm-service"));
    }

    @Test
    void windows_noAppDataVariables_fallsBackUnderTheProfile() {
        DefaultLocations where = DefaultLocations.of(OsFamily.WINDOWS, Map.of(), ACCOUNT_HOME);

        assertThat(where.home()).isEqualTo(ACCOUNT_HOME);
        assertThat(where.configDirectory()).isEqualTo(ACCOUNT_HOME.resolve("AppData/Roaming/llm-service"));
        assertThat(where.dataDirectory()).isEqualTo(ACCOUNT_HOME.resolve("AppData/Local/llm-service"));
    }

    @Test
    void windows_backslashTilde_isTheProfile() {
        DefaultLocations where = DefaultLocations.of(OsFamily.WINDOWS, Map.of("USERPROFILE", "/c/Users/me"),
                ACCOUNT_HOME);

        assertThat(where.expandHome("~\\data")).isEqualTo(Path.of("/c/Users/me").resolve("data").toString());
    }

    // ---- ~ in paths

    @Test
    void expandHome_usesTheEnvironmentsHome_notUserHome() {
        DefaultLocations where = DefaultLocations.of(OsFamily.LINUX, Map.of("HOME", "/home/me"), ACCOUNT_HOME);

        assertThat(where.expandHome("~")).isEqualTo("/home/me");
        assertThat(where.expandHome("~/t/telemetry")).isEqualTo("/home/me/t/telemetry");
        assertThat(where.expandHome("~other/x")).isEqualTo("~other/x");
        assertThat(where.expandHome("/abs/~/x")).isEqualTo("/abs/~/x");
        assertThat(where.expandHome("~\\x")).isEqualTo("~\\x");
    }

    // ---- the default telemetry path and the old ~/.llm-service

    @Test
    void defaultTelemetryPath_nothingAnywhere_isInTheDataDirectory() {
        DefaultLocations where = linuxAt(tmp);

        assertThat(where.defaultTelemetryPath()).isEqualTo(tmp.resolve(".local/share/llm-service/telemetry"));
        assertThat(where.telemetryNotice()).isEmpty();
    }

    @Test
    void defaultTelemetryPath_oldStoreOnly_staysThere_withANoticeShownOnce() throws Exception {
        Files.createDirectories(tmp.resolve(".llm-service"));
        Files.writeString(tmp.resolve(".llm-service/telemetry.mv.db"), "data");
        DefaultLocations where = linuxAt(tmp);

        assertThat(where.defaultTelemetryPath()).isEqualTo(tmp.resolve(".llm-service/telemetry"));
        assertThat(where.telemetryNotice()).hasValueSatisfying(n -> assertThat(n)
                .contains("old place " + tmp.resolve(".llm-service/telemetry") + ".*",
                        tmp.resolve(".local/share/llm-service/telemetry") + ".*",
                        "mv " + tmp.resolve(".llm-service/telemetry") + ".* " + tmp.resolve(".local/share/llm-service")));
        assertThat(tmp.resolve(".llm-service").resolve(DefaultLocations.NOTICE_MARKER)).exists();
        assertThat(linuxAt(tmp).telemetryNotice()).isEmpty();
        assertThat(linuxAt(tmp).defaultTelemetryPath()).isEqualTo(tmp.resolve(".llm-service/telemetry"));
    }

    @Test
    void defaultTelemetryPath_storeInBothPlaces_isTheNewOne_withoutNotice() throws Exception {
        Files.createDirectories(tmp.resolve(".llm-service"));
        Files.writeString(tmp.resolve(".llm-service/telemetry.mv.db"), "old");
        Files.createDirectories(tmp.resolve(".local/share/llm-service"));
        Files.writeString(tmp.resolve(".local/share/llm-service/telemetry.mv.db"), "new");
        DefaultLocations where = linuxAt(tmp);

        assertThat(where.defaultTelemetryPath()).isEqualTo(tmp.resolve(".local/share/llm-service/telemetry"));
        assertThat(where.telemetryNotice()).isEmpty();
        assertThat(tmp.resolve(".llm-service").resolve(DefaultLocations.NOTICE_MARKER)).doesNotExist();
    }

    @Test
    void defaultTelemetryPath_oldDirectoryWithoutAStore_isNotUsed() throws Exception {
        // ./.llm-service/ is also a configuration directory's name; its split files are not a store.
        Files.createDirectories(tmp.resolve(".llm-service"));
        Files.writeString(tmp.resolve(".llm-service/agents.yaml"), "agents: {}\n");

        assertThat(linuxAt(tmp).defaultTelemetryPath()).isEqualTo(tmp.resolve(".local/share/llm-service/telemetry"));
    }

    @Test
    void configNotice_oncePerOldDirectory_namingBothPlaces() throws Exception {
        Path old = Files.createDirectories(tmp.resolve(".config/llm-service"));
        Map<String, String> env = Map.of("HOME", tmp.toString(), "XDG_CONFIG_HOME", tmp.resolve("xdg").toString());

        assertThat(DefaultLocations.of(OsFamily.LINUX, env, ACCOUNT_HOME).configNotice()).hasValueSatisfying(n ->
                assertThat(n).contains("old place " + old, tmp.resolve("xdg/llm-service").toString(), "mv "));
        assertThat(DefaultLocations.of(OsFamily.LINUX, env, ACCOUNT_HOME).configNotice()).isEmpty();
    }

    @Test
    void configNotice_whereTheOldPlaceIsTheNewOne_isEmpty() throws Exception {
        Files.createDirectories(tmp.resolve(".config/llm-service"));

        assertThat(linuxAt(tmp).configNotice()).isEmpty();
    }

    private static DefaultLocations linuxAt(Path home) {
        return DefaultLocations.of(OsFamily.LINUX, Map.of("HOME", home.toString()), ACCOUNT_HOME);
    }
}
