package io.llmservice.core.internal.exec;

import io.llmservice.config.OsFamily;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class ChildEnvironmentTest {

    private static Map<String, String> linuxParent() {
        Map<String, String> parent = new HashMap<>();
        parent.put("PATH", "/usr/bin:/bin");
        parent.put("HOME", "/home/me");
        parent.put("LANG", "en_US.UTF-8");
        parent.put("LC_ALL", "en_US.UTF-8");
        parent.put("LC_CTYPE", "UTF-8");
        parent.put("TMPDIR", "/tmp/me");
        parent.put("AWS_SECRET_ACCESS_KEY", "aws-secret");
        parent.put("ANTHROPIC_API_KEY", "parent-key");
        parent.put("GITHUB_TOKEN", "ghp_x");
        parent.put("SYSTEMROOT", "C:\\Windows");
        parent.put("path", "/lowercase/is/another/variable");
        return parent;
    }

    @Test
    void build_linux_keepsOnlyDeclaredParentVariables() {
        Map<String, String> env = ChildEnvironment.build(OsFamily.LINUX, linuxParent(), Map.of());

        assertThat(env).containsOnly(entry("PATH", "/usr/bin:/bin"), entry("HOME", "/home/me"),
                entry("LANG", "en_US.UTF-8"), entry("LC_ALL", "en_US.UTF-8"), entry("LC_CTYPE", "UTF-8"),
                entry("TMPDIR", "/tmp/me"));
    }

    @Test
    void build_parentSecretNotDeclared_isAbsent_declaredToolEntryIsPresent() {
        Map<String, String> env = ChildEnvironment.build(OsFamily.LINUX, linuxParent(),
                Map.of("ANTHROPIC_API_KEY", "tool-key"));

        assertThat(env).doesNotContainKeys("AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN")
                .containsEntry("ANTHROPIC_API_KEY", "tool-key");
    }

    @Test
    void build_toolEntries_overrideParentAndEmptyValuesAreDropped() {
        Map<String, String> parent = linuxParent();
        parent.put("TEMP", "");
        Map<String, String> env = ChildEnvironment.build(OsFamily.LINUX, parent,
                Map.of("HOME", "/sandbox", "LANG", "", "OPTIONAL_KEY", "", "EXTRA", "1"));

        assertThat(env).containsEntry("HOME", "/sandbox").containsEntry("EXTRA", "1")
                .doesNotContainKeys("LANG", "OPTIONAL_KEY", "TEMP");
    }

    @Test
    void build_result_isUnmodifiableAndSorted() {
        Map<String, String> env = ChildEnvironment.build(OsFamily.LINUX, linuxParent(), Map.of("A", "1"));

        assertThat(List.copyOf(env.keySet())).isSorted();
        assertThatThrownBy(() -> env.put("X", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void build_windows_keepsWindowsVariablesCaseInsensitively() {
        Map<String, String> parent = new HashMap<>();
        parent.put("Path", "C:\\Windows\\System32;C:\\npm");
        parent.put("SystemRoot", "C:\\Windows");
        parent.put("windir", "C:\\Windows");
        parent.put("ComSpec", "C:\\Windows\\system32\\cmd.exe");
        parent.put("PATHEXT", ".COM;.EXE;.BAT;.CMD");
        parent.put("USERPROFILE", "C:\\Users\\me");
        parent.put("APPDATA", "C:\\Users\\me\\AppData\\Roaming");
        parent.put("LOCALAPPDATA", "C:\\Users\\me\\AppData\\Local");
        parent.put("TEMP", "C:\\Temp");
        parent.put("TMP", "C:\\Temp");
        parent.put("OPENAI_API_KEY", "sk-secret");
        parent.put("USERNAME", "me");

        Map<String, String> env = ChildEnvironment.build(OsFamily.WINDOWS, parent, Map.of("PATH", "C:\\only"));

        assertThat(env).containsOnlyKeys("PATH", "SystemRoot", "windir", "ComSpec", "PATHEXT", "USERPROFILE",
                "APPDATA", "LOCALAPPDATA", "TEMP", "TMP");
        assertThat(env).containsEntry("PATH", "C:\\only").containsEntry("path", "C:\\only"); // case-insensitive, like Windows
        assertThat(List.copyOf(env.keySet())).contains("PATH").doesNotContain("Path");
    }

    @Test
    void build_linux_doesNotTakeWindowsOnlyVariables() {
        Map<String, String> env = ChildEnvironment.build(OsFamily.LINUX, linuxParent(), Map.of());

        assertThat(env).doesNotContainKeys("SYSTEMROOT", "path");
    }

    @Test
    void build_invalidToolName_isRejectedWithoutShowingTheValue() {
        assertThatThrownBy(() -> ChildEnvironment.build(OsFamily.LINUX, Map.of(), Map.of("A=B", "secret-value")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("A=B")
                .hasMessageNotContaining("secret-value");
        assertThatThrownBy(() -> ChildEnvironment.build(OsFamily.LINUX, Map.of(), Map.of("", "v")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
