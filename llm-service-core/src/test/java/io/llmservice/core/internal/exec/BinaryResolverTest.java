package io.llmservice.core.internal.exec;

import io.llmservice.config.OsFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BinaryResolverTest {

    /** A simulated file system: exactly these paths are executable files. */
    private static Predicate<Path> files(String... paths) {
        Set<String> set = Set.of(paths);
        return p -> set.contains(p.toString());
    }

    /** Windows file names compare case-insensitively. */
    private static Predicate<Path> windowsFiles(String... paths) {
        Set<String> set = new java.util.HashSet<>();
        for (String p : paths) {
            set.add(p.toLowerCase(Locale.ROOT));
        }
        return p -> set.contains(p.toString().toLowerCase(Locale.ROOT));
    }

    @Test
    void resolve_linuxBareName_takesFirstPathEntryHoldingIt() {
        BinaryResolver resolver = new BinaryResolver(OsFamily.LINUX, Map.of("PATH", "/opt/a:/usr/local/bin:/usr/bin"),
                files("/usr/local/bin/claude", "/usr/bin/claude"));

        BinaryResolver.Resolution r = resolver.resolve("claude");

        assertThat(r.path()).contains(Path.of("/usr/local/bin/claude"));
        assertThat(r.found()).isTrue();
    }

    @Test
    void resolve_linuxNotOnPath_isEmptyAndSaysWhereItLooked() {
        BinaryResolver resolver = new BinaryResolver(OsFamily.LINUX, Map.of("PATH", "/opt/a:/usr/bin"), files());

        BinaryResolver.Resolution r = resolver.resolve("codex");

        assertThat(r.path()).isEmpty();
        assertThat(r.searched()).isEqualTo("searched PATH /opt/a:/usr/bin");
    }

    @Test
    void resolve_linuxEmptyPathEntries_areSkippedNotTheCurrentDirectory() {
        BinaryResolver resolver = new BinaryResolver(OsFamily.LINUX, Map.of("PATH", ":/usr/bin::"),
                files("/work/claude", "/usr/bin/claude"), "/work");

        assertThat(resolver.resolve("claude").path()).contains(Path.of("/usr/bin/claude"));
        assertThat(resolver.resolve("claude").searched()).isEqualTo("searched PATH /usr/bin");
    }

    @Test
    void resolve_linuxPathUnset_isEmptyAndSaysSo() {
        BinaryResolver resolver = new BinaryResolver(OsFamily.LINUX, Map.of(), files("/usr/bin/claude"));

        BinaryResolver.Resolution r = resolver.resolve("claude");

        assertThat(r.path()).isEmpty();
        assertThat(r.searched()).isEqualTo("PATH is not set");
    }

    @Test
    void resolve_linuxAbsolutePath_isUsedAsIsWithoutSearchingPath() {
        BinaryResolver resolver = new BinaryResolver(OsFamily.LINUX, Map.of("PATH", "/usr/bin"),
                files("/opt/claude/bin/claude", "/usr/bin/claude"));

        assertThat(resolver.resolve("/opt/claude/bin/claude").path()).contains(Path.of("/opt/claude/bin/claude"));
        BinaryResolver.Resolution missing = resolver.resolve("/opt/other/claude");
        assertThat(missing.path()).isEmpty();
        assertThat(missing.searched()).isEqualTo("no executable file at /opt/other/claude");
    }

    @Test
    void resolve_linuxRelativePathWithSeparator_resolvesAgainstBaseDirectory() {
        BinaryResolver resolver = new BinaryResolver(OsFamily.LINUX, Map.of("PATH", "/usr/bin"),
                files("/home/me/project/bin/claude"), "/home/me/project");

        assertThat(resolver.resolve("bin/claude").path()).contains(Path.of("/home/me/project/bin/claude"));
        assertThat(resolver.resolve("./bin/claude").path()).isEmpty(); // no normalisation by the pure predicate
    }

    @Test
    void resolve_linuxNameWithBackslashOrExtension_hasNoWindowsMeaning() {
        BinaryResolver resolver = new BinaryResolver(OsFamily.LINUX, Map.of("PATH", "/usr/bin", "PATHEXT", ".CMD"),
                files("/usr/bin/claude.cmd", "/usr/bin/a\\b"));

        assertThat(resolver.resolve("claude").path()).isEmpty();
        assertThat(resolver.resolve("a\\b").path()).contains(Path.of("/usr/bin/a\\b"));
    }

    @Test
    void resolve_macosFollowsPosixRules() {
        BinaryResolver resolver = new BinaryResolver(OsFamily.MACOS,
                Map.of("PATH", "/opt/homebrew/bin:/usr/local/bin:/usr/bin"),
                files("/usr/local/bin/gemini", "/opt/homebrew/bin/gemini"));

        assertThat(resolver.resolve("gemini").path()).contains(Path.of("/opt/homebrew/bin/gemini"));
    }

    @Test
    void resolve_windowsBareName_appliesDefaultPathextInOrder() {
        BinaryResolver resolver = new BinaryResolver(OsFamily.WINDOWS,
                Map.of("PATH", "C:\\Windows\\System32;C:\\Users\\me\\AppData\\Roaming\\npm"),
                windowsFiles("C:\\Users\\me\\AppData\\Roaming\\npm\\claude.cmd",
                        "C:\\Users\\me\\AppData\\Roaming\\npm\\claude.bat",
                        "C:\\Users\\me\\AppData\\Roaming\\npm\\claude"));

        BinaryResolver.Resolution r = resolver.resolve("claude");

        // .BAT comes before .CMD in the default PATHEXT; the extensionless file is never a candidate.
        assertThat(r.path().map(Path::toString)).contains("C:\\Users\\me\\AppData\\Roaming\\npm\\claude.bat");
        assertThat(r.searched()).isEqualTo("searched PATH C:\\Windows\\System32;C:\\Users\\me\\AppData\\Roaming\\npm"
                + " as claude.com, claude.exe, claude.bat, claude.cmd");
    }

    @Test
    void resolve_windowsDirectoryOrderBeatsExtensionOrder() {
        BinaryResolver resolver = new BinaryResolver(OsFamily.WINDOWS, Map.of("PATH", "C:\\a;C:\\b"),
                windowsFiles("C:\\a\\codex.cmd", "C:\\b\\codex.exe"));

        assertThat(resolver.resolve("codex").path().map(Path::toString)).contains("C:\\a\\codex.cmd");
    }

    @Test
    void resolve_windowsVariableNamesAndExtensionsAreCaseInsensitive() {
        BinaryResolver resolver = new BinaryResolver(OsFamily.WINDOWS,
                Map.of("Path", "C:\\tools\\", "PathExt", ".Exe;.CMD"),
                windowsFiles("C:\\tools\\GEMINI.CMD"));

        BinaryResolver.Resolution r = resolver.resolve("gemini");

        assertThat(r.path().map(Path::toString)).contains("C:\\tools\\gemini.cmd");
        assertThat(resolver.resolve("gemini.CMD").path().map(Path::toString)).contains("C:\\tools\\gemini.CMD");
    }

    @Test
    void resolve_windowsCustomPathext_replacesDefault() {
        BinaryResolver resolver = new BinaryResolver(OsFamily.WINDOWS, Map.of("PATH", "C:\\t", "PATHEXT", ".PS1;.EXE"),
                windowsFiles("C:\\t\\tool.bat", "C:\\t\\tool.exe"));

        assertThat(resolver.resolve("tool").path().map(Path::toString)).contains("C:\\t\\tool.exe");
    }

    @Test
    void resolve_windowsNameWithListedExtension_isTriedAsIsOnly() {
        BinaryResolver resolver = new BinaryResolver(OsFamily.WINDOWS, Map.of("PATH", "C:\\t"),
                windowsFiles("C:\\t\\claude.cmd.exe", "C:\\t\\claude.cmd"));

        BinaryResolver.Resolution r = resolver.resolve("claude.cmd");

        assertThat(r.path().map(Path::toString)).contains("C:\\t\\claude.cmd");
        assertThat(r.searched()).isEqualTo("searched PATH C:\\t");
    }

    @Test
    void resolve_windowsNameWithOtherExtension_triesAsIsThenPathext() {
        BinaryResolver resolver = new BinaryResolver(OsFamily.WINDOWS, Map.of("PATH", "C:\\t"),
                windowsFiles("C:\\t\\tool.v2.exe"));

        assertThat(resolver.resolve("tool.v2").path().map(Path::toString)).contains("C:\\t\\tool.v2.exe");
    }

    @Test
    void resolve_windowsQuotedAndPaddedPathEntries_areUnquoted() {
        BinaryResolver resolver = new BinaryResolver(OsFamily.WINDOWS,
                Map.of("PATH", "\"C:\\Program Files\\nodejs\" ; ;C:\\x"), windowsFiles("C:\\Program Files\\nodejs\\claude.cmd"));

        assertThat(resolver.resolve("claude").path().map(Path::toString)).contains("C:\\Program Files\\nodejs\\claude.cmd");
    }

    @Test
    void resolve_windowsAbsolutePathWithoutExtension_appliesPathext() {
        BinaryResolver resolver = new BinaryResolver(OsFamily.WINDOWS, Map.of("PATH", "C:\\other"),
                windowsFiles("D:\\tools\\claude.exe"));

        assertThat(resolver.resolve("D:\\tools\\claude").path().map(Path::toString)).contains("D:\\tools\\claude.exe");
        assertThat(resolver.resolve("D:/tools/claude.exe").path().map(Path::toString)).isEmpty();
        assertThat(resolver.resolve("D:\\tools\\claude.exe").path().map(Path::toString)).contains("D:\\tools\\claude.exe");
    }

    @Test
    void resolve_windowsRelativePath_resolvesAgainstBaseDirectory() {
        BinaryResolver resolver = new BinaryResolver(OsFamily.WINDOWS, Map.of("PATH", "C:\\other"),
                windowsFiles("C:\\project\\bin\\claude.cmd"), "C:\\project");

        assertThat(resolver.resolve("bin\\claude.cmd").path().map(Path::toString)).contains("C:\\project\\bin\\claude.cmd");
    }

    @Test
    void resolve_windowsUsesSemicolonNotColonAsSeparator() {
        BinaryResolver resolver = new BinaryResolver(OsFamily.WINDOWS, Map.of("PATH", "C:\\a;D:\\b"),
                windowsFiles("D:\\b\\claude.exe"));

        assertThat(resolver.resolve("claude").path().map(Path::toString)).contains("D:\\b\\claude.exe");
    }

    @Test
    void resolve_blankOrNulName_isRejected() {
        BinaryResolver resolver = new BinaryResolver(OsFamily.LINUX, Map.of("PATH", "/usr/bin"), files());

        assertThatThrownBy(() -> resolver.resolve(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("binary");
        assertThatThrownBy(() -> resolver.resolve("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void resolve_realFileSystem_skipsNonExecutableAndDirectories(@TempDir Path dir) throws Exception {
        Path first = Files.createDirectories(dir.resolve("first"));
        Path second = Files.createDirectories(dir.resolve("second"));
        Path third = Files.createDirectories(dir.resolve("third"));
        Files.writeString(first.resolve("tool"), "#!/bin/sh\n");                       // not executable
        Files.createDirectory(second.resolve("tool"));                                 // a directory
        Path real = Files.writeString(third.resolve("tool"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rwxr-xr-x"));
        BinaryResolver resolver = new BinaryResolver(OsFamily.LINUX,
                Map.of("PATH", first + ":" + second + ":" + third), BinaryResolver::isExecutableFile);

        assertThat(resolver.resolve("tool").path()).contains(real);
        assertThat(resolver.resolve(first.resolve("tool").toString()).path()).isEmpty();
    }
}
