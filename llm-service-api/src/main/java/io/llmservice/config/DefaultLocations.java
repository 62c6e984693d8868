package io.llmservice.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where llm-service keeps things it is not told about: the user's configuration directory (the
 * CLI's last lookup rule) and the data directory (the default {@code policies.telemetry.path}),
 * the way each platform expects, and what {@code ~} in a YAML path means.
 *
 * <table>
 * <caption>Default locations</caption>
 * <tr><th>OS</th><th>home ({@code ~})</th><th>configuration</th><th>data</th></tr>
 * <tr><td>Linux and other Unix</td><td>{@code $HOME}</td>
 *     <td>{@code $XDG_CONFIG_HOME/llm-service}, else {@code ~/.config/llm-service}</td>
 *     <td>{@code $XDG_DATA_HOME/llm-service}, else {@code ~/.local/share/llm-service}</td></tr>
 * <tr><td>macOS</td><td>{@code $HOME}</td>
 *     <td colspan="2">{@code ~/Library/Application Support/llm-service}</td></tr>
 * <tr><td>Windows</td><td>{@code %USERPROFILE%}</td>
 *     <td>{@code %APPDATA%\llm-service}, else {@code ~\AppData\Roaming\llm-service}</td>
 *     <td>{@code %LOCALAPPDATA%\llm-service}, else {@code ~\AppData\Local\llm-service}</td></tr>
 * </table>
 *
 * <p>The home directory is the environment's ({@code $HOME}, {@code %USERPROFILE%}) when set, and
 * only otherwise Java's {@code user.home}, which Java takes from the password database: a user who
 * points {@code HOME} elsewhere gets everything there. An {@code XDG_*} variable holding a relative
 * path is ignored, as the XDG Base Directory specification says.
 *
 * <p>Earlier builds kept telemetry in {@code ~/.llm-service/telemetry} and looked for the
 * user's configuration only in {@code ~/.config/llm-service}. Where one of these old places holds
 * something and the new one does not, the old one is still used, with a notice saying where the new
 * place is and how to move; the notice is shown once per old directory (a marker file,
 * {@value #NOTICE_MARKER}, is written into it; while it cannot be written, the notice repeats).
 *
 * <pre>{@code
 * DefaultLocations where = DefaultLocations.system();      // this process: os.name, System.getenv(), user.home
 * Path config = where.configDirectory();                   // e.g. /home/me/.config/llm-service
 * DefaultLocations simulated = DefaultLocations.of(OsFamily.WINDOWS,
 *         Map.of("APPDATA", "C:\\Users\\me\\AppData\\Roaming"), Path.of("C:\\Users\\me"));
 * }</pre>
 *
 * <p>Immutable and thread-safe; every path is computed from the values given to {@link #of}, and
 * only {@link #defaultTelemetryPath()} and the notices look at the file system.
 */
public final class DefaultLocations {
    /** The directory name under the platform's configuration and data directories. */
    public static final String APP = "llm-service";
    /** The marker written into an old directory once its move notice has been shown. */
    public static final String NOTICE_MARKER = ".llm-service-notice-shown";
    /** The default store's base name inside the data directory. */
    static final String TELEMETRY = "telemetry";

    private final OsFamily os;
    private final Map<String, String> environment;
    private final Path home;

    private DefaultLocations(OsFamily os, Map<String, String> environment, Path home) {
        this.os = os;
        this.environment = environment;
        this.home = home;
    }

    /**
     * The locations for an operating system and environment.
     *
     * @param os          the operating-system family whose convention applies
     * @param environment the environment variables ({@code HOME}, {@code XDG_CONFIG_HOME},
     *                    {@code APPDATA}...); an empty value counts as unset
     * @param userHome    the home directory when the environment names none (Java's
     *                    {@code user.home}); its file system is the one every path is made in
     */
    public static DefaultLocations of(OsFamily os, Map<String, String> environment, Path userHome) {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(userHome, "userHome");
        Map<String, String> env = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        String homeVariable = os == OsFamily.WINDOWS ? "USERPROFILE" : "HOME";
        Path home = value(env, homeVariable).map(userHome.getFileSystem()::getPath).orElse(userHome);
        return new DefaultLocations(os, env, home);
    }

    /** The running process: {@link OsFamily#current()}, {@link System#getenv()}, {@code user.home}. */
    public static DefaultLocations system() {
        return of(OsFamily.current(), System.getenv(), Path.of(System.getProperty("user.home", "")));
    }

    /** The user's home directory, what a leading {@code ~} in a path means. */
    public Path home() {
        return home;
    }

    /** The user's configuration directory, the CLI's last lookup rule ({@code llm-service.yaml} or split files). */
    public Path configDirectory() {
        switch (os) {
            case WINDOWS:
                return variable("APPDATA", false).orElseGet(() -> home.resolve("AppData").resolve("Roaming"))
                        .resolve(APP);
            case MACOS:
                return applicationSupport();
            default:
                return variable("XDG_CONFIG_HOME", true).orElseGet(() -> home.resolve(".config")).resolve(APP);
        }
    }

    /** The user's data directory, where the default telemetry store lives. */
    public Path dataDirectory() {
        switch (os) {
            case WINDOWS:
                return variable("LOCALAPPDATA", false).orElseGet(() -> home.resolve("AppData").resolve("Local"))
                        .resolve(APP);
            case MACOS:
                return applicationSupport();
            default:
                return variable("XDG_DATA_HOME", true)
                        .orElseGet(() -> home.resolve(".local").resolve("share")).resolve(APP);
        }
    }

    /** The old configuration directory, {@code ~/.config/llm-service}; empty where it is the new one. */
    public Optional<Path> legacyConfigDirectory() {
        Path old = home.resolve(".config").resolve(APP);
        return old.equals(configDirectory()) ? Optional.empty() : Optional.of(old);
    }

    /** The old data directory, {@code ~/.llm-service}. */
    public Path legacyDataDirectory() {
        return home.resolve("." + APP);
    }

    /**
     * The default {@code policies.telemetry.path}: {@code telemetry} in the {@link #dataDirectory()},
     * unless the old {@code ~/.llm-service/telemetry} holds a store and the new place holds none.
     * A file-based store adds its own suffixes ({@code telemetry.mv.db} for H2).
     */
    public Path defaultTelemetryPath() {
        Path fresh = dataDirectory().resolve(TELEMETRY);
        Path old = legacyDataDirectory().resolve(TELEMETRY);
        return holdsStore(old) && !holdsStore(fresh) ? old : fresh;
    }

    /**
     * The notice to show because {@link #defaultTelemetryPath()} is the old place: empty when it is
     * not, or when the notice was shown before (this call marks it shown).
     */
    public Optional<String> telemetryNotice() {
        Path old = legacyDataDirectory().resolve(TELEMETRY);
        if (!defaultTelemetryPath().equals(old)) {
            return Optional.empty();
        }
        Path fresh = dataDirectory();
        return once(legacyDataDirectory(), "telemetry is still kept in the old place " + old + ".*; the default place"
                + " is now " + fresh.resolve(TELEMETRY) + ".* (docs/configuration.md, 'Default locations'). To move"
                + " it: llm-service daemon stop; mkdir -p " + fresh + "; mv " + old + ".* " + fresh
                + ". Or keep the old place: set policies.telemetry.path: " + old + ". (shown once)");
    }

    /**
     * The notice to show because the configuration was found only in the
     * {@link #legacyConfigDirectory()}: empty when there is none or the notice was shown before
     * (this call marks it shown).
     */
    public Optional<String> configNotice() {
        Optional<Path> old = legacyConfigDirectory();
        if (old.isEmpty()) {
            return Optional.empty();
        }
        return once(old.get(), "configuration read from the old place " + old.get() + "; on this system the place"
                + " is " + configDirectory() + " (docs/configuration.md, 'Default locations'). To move it: mkdir -p "
                + configDirectory().getParent() + "; mv " + old.get() + " " + configDirectory() + ". (shown once)");
    }

    /**
     * Expands a leading {@code ~} to the {@link #home()}: {@code ~} alone, {@code ~/rest}, and on
     * Windows also {@code ~\rest}; {@code ~user} and every other text are returned unchanged.
     */
    public String expandHome(String path) {
        Objects.requireNonNull(path, "path");
        if (path.equals("~")) {
            return home.toString();
        }
        if (path.startsWith("~/") || (os == OsFamily.WINDOWS && path.startsWith("~\\"))) {
            return home.resolve(path.substring(2)).toString();
        }
        return path;
    }

    @Override
    public String toString() {
        return "DefaultLocations[" + os.yamlName() + ", home " + home + ", config " + configDirectory() + ", data "
                + dataDirectory() + "]";
    }

    private Path applicationSupport() {
        return home.resolve("Library").resolve("Application Support").resolve(APP);
    }

    /** A variable's path; XDG variables must be absolute (the specification says to ignore relative ones). */
    private Optional<Path> variable(String name, boolean mustBeAbsolute) {
        FileSystem fs = home.getFileSystem();
        return value(environment, name).map(fs::getPath).filter(p -> !mustBeAbsolute || p.isAbsolute());
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    /** Whether a file-based store with this base path exists: the path itself, or a file named {@code base.*}. */
    private static boolean holdsStore(Path base) {
        Path dir = base.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return false;
        }
        String name = base.getFileName().toString();
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString())
                    .anyMatch(n -> n.equals(name) || n.startsWith(name + "."));
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /** The text the first time for this directory; the marker records that it was shown. */
    private static Optional<String> once(Path oldDirectory, String text) {
        Path marker = oldDirectory.resolve(NOTICE_MARKER);
        if (Files.exists(marker)) {
            return Optional.empty();
        }
        try {
            Files.writeString(marker, text + System.lineSeparator(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            // Not writable: the notice repeats, which is better than never saying it.
        }
        return Optional.of(text);
    }
}
