package io.llmservice.core.internal.exec;

import io.llmservice.config.OsFamily;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Finds the executable file for a tool's {@code binary}, the way a shell would but without one.
 * Pure logic: the OS rules, the environment and the file test are injected, so the Windows rules
 * are unit-tested on Linux.
 *
 * <pre>{@code
 * BinaryResolver resolver = BinaryResolver.forCurrentSystem();
 * BinaryResolver.Resolution r = resolver.resolve("claude");
 * Path exe = r.path().orElseThrow(() -> new ToolNotInstalledException("claude-code", "claude", r.searched()));
 * }</pre>
 *
 * <p>Rules:
 * <ul>
 *   <li>A name containing a path separator ({@code /}; on Windows also {@code \} or a drive
 *       {@code C:}) is a path, used as is: it must be an executable file. A relative path is
 *       resolved against the base directory (the JVM's working directory by default), not the
 *       child's working directory.</li>
 *   <li>Otherwise each {@code PATH} entry is tried in order ({@code :}-separated; on Windows
 *       {@code ;}-separated, quotes around an entry removed). Empty entries are skipped: they
 *       would mean "the current directory", which a library must not search implicitly. Windows's
 *       own habit of searching the current directory first is not copied, for the same reason.</li>
 *   <li>On Windows, a name without an extension is tried with each {@code PATHEXT} extension in
 *       order (default {@code .COM;.EXE;.BAT;.CMD}), in lower case; a name whose extension is
 *       listed in {@code PATHEXT} (compared case-insensitively) is tried as is; a name with another
 *       extension is tried as is, then with each {@code PATHEXT} extension. Variable names are
 *       matched case-insensitively ({@code Path} is {@code PATH}).</li>
 * </ul>
 *
 * <p>Windows and {@code .cmd}/{@code .bat}: {@link ProcessBuilder} cannot start a batch file
 * directly, so the JDK runs it through {@code cmd.exe /c}, and cmd.exe re-parses the command line
 * with its own rules ({@code %VAR%} expansion, {@code ^ & | < >} and quote handling). An argument
 * holding such characters may therefore not reach the batch file verbatim; prefer the prompt on
 * stdin (the default) for tools installed as {@code .cmd} shims, such as npm's {@code claude.cmd}.
 * Argument safety is claimed only for {@code .exe} on Windows and plain binaries elsewhere.
 *
 * <p>Immutable and thread-safe when the injected predicate is.
 */
public final class BinaryResolver {

    /** How the description of a search of {@code PATH} starts ({@code searched PATH /usr/bin:/bin}). */
    public static final String SEARCHED_PATH = "searched PATH ";

    /** {@code PATHEXT} when the variable is not set. */
    public static final String DEFAULT_PATHEXT = ".COM;.EXE;.BAT;.CMD";

    private final OsFamily os;
    private final Map<String, String> environment;
    private final Predicate<Path> isExecutableFile;
    private final String baseDirectory;

    /**
     * A resolver whose relative paths resolve against the JVM's working directory.
     *
     * @param os               whose rules apply
     * @param environment      where {@code PATH} and {@code PATHEXT} are read
     * @param isExecutableFile whether a path names an executable regular file
     */
    public BinaryResolver(OsFamily os, Map<String, String> environment, Predicate<Path> isExecutableFile) {
        this(os, environment, isExecutableFile, Path.of("").toAbsolutePath().toString());
    }

    /** Like {@link #BinaryResolver(OsFamily, Map, Predicate)}, resolving relative paths against {@code baseDirectory}. */
    public BinaryResolver(OsFamily os, Map<String, String> environment, Predicate<Path> isExecutableFile,
                          String baseDirectory) {
        this.os = Objects.requireNonNull(os, "os");
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        this.isExecutableFile = Objects.requireNonNull(isExecutableFile, "isExecutableFile");
        this.baseDirectory = Objects.requireNonNull(baseDirectory, "baseDirectory");
    }

    /** A resolver for the running JVM: {@link Os#current()}, {@link System#getenv()}, {@link #isExecutableFile(Path)}. */
    public static BinaryResolver forCurrentSystem() {
        return new BinaryResolver(Os.current(), System.getenv(), BinaryResolver::isExecutableFile);
    }

    /** The real file test: a regular file (after links) the JVM may execute. */
    public static boolean isExecutableFile(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }

    /**
     * Resolves {@code binary} to an executable file.
     *
     * @throws IllegalArgumentException when {@code binary} is blank or contains NUL
     */
    public Resolution resolve(String binary) {
        Objects.requireNonNull(binary, "binary");
        if (binary.isBlank() || binary.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("binary '" + binary.replace('\0', '?')
                    + "' is invalid: it must be a file name or a path");
        }
        if (isPath(binary)) {
            String full = isAbsolute(binary) ? binary : join(baseDirectory, binary);
            List<String> candidates = withExtensions(full, lastSegment(binary));
            for (String candidate : candidates) {
                Optional<Path> path = toPath(candidate);
                if (path.isPresent() && isExecutableFile.test(path.get())) {
                    return new Resolution(path, "path " + String.join(", ", candidates));
                }
            }
            return new Resolution(Optional.empty(), "no executable file at " + String.join(", ", candidates));
        }
        Optional<String> pathVariable = variable("PATH");
        if (pathVariable.isEmpty() || pathVariable.get().isBlank()) {
            return new Resolution(Optional.empty(), "PATH is not set");
        }
        List<String> directories = pathEntries(pathVariable.get());
        List<String> names = withExtensions(binary, binary);
        for (String directory : directories) {
            for (String name : names) {
                Optional<Path> path = toPath(join(directory, name));
                if (path.isPresent() && isExecutableFile.test(path.get())) {
                    return new Resolution(path, describeSearch(directories, names));
                }
            }
        }
        return new Resolution(Optional.empty(), describeSearch(directories, names));
    }

    private String describeSearch(List<String> directories, List<String> names) {
        String dirs = directories.isEmpty() ? "(no usable entries)" : String.join(os == OsFamily.WINDOWS ? ";" : ":",
                directories);
        String tried = names.size() == 1 ? "" : " as " + String.join(", ", names);
        return SEARCHED_PATH + dirs + tried;
    }

    private boolean windows() {
        return os == OsFamily.WINDOWS;
    }

    private boolean isPath(String binary) {
        return binary.indexOf('/') >= 0 || (windows() && (binary.indexOf('\\') >= 0 || binary.indexOf(':') >= 0));
    }

    private boolean isAbsolute(String binary) {
        if (!windows()) {
            return binary.startsWith("/");
        }
        boolean drive = binary.length() >= 3 && Character.isLetter(binary.charAt(0)) && binary.charAt(1) == ':'
                && (binary.charAt(2) == '\\' || binary.charAt(2) == '/');
        return drive || binary.startsWith("\\\\") || binary.startsWith("//");
    }

    private String lastSegment(String path) {
        int slash = Math.max(path.lastIndexOf('/'), windows() ? path.lastIndexOf('\\') : -1);
        return path.substring(slash + 1);
    }

    /** The file names to try for {@code base}, given its last segment, applying PATHEXT on Windows. */
    private List<String> withExtensions(String base, String segment) {
        if (!windows()) {
            return List.of(base);
        }
        List<String> extensions = pathExtensions();
        int dot = segment.lastIndexOf('.');
        List<String> result = new ArrayList<>();
        if (dot > 0 && dot < segment.length() - 1) {
            String extension = segment.substring(dot).toLowerCase(Locale.ROOT);
            result.add(base);
            if (extensions.contains(extension)) {
                return result;
            }
        }
        for (String extension : extensions) {
            result.add(base + extension);
        }
        return result;
    }

    private List<String> pathExtensions() {
        String pathext = variable("PATHEXT").filter(v -> !v.isBlank()).orElse(DEFAULT_PATHEXT);
        Set<String> extensions = new LinkedHashSet<>();
        for (String entry : pathext.split(";")) {
            String extension = entry.trim().toLowerCase(Locale.ROOT);
            if (extension.isEmpty() || extension.equals(".")) {
                continue;
            }
            extensions.add(extension.startsWith(".") ? extension : "." + extension);
        }
        return List.copyOf(extensions);
    }

    private List<String> pathEntries(String path) {
        List<String> entries = new ArrayList<>();
        for (String entry : path.split(windows() ? ";" : ":", -1)) {
            String directory = entry;
            if (windows()) {
                directory = directory.trim();
                if (directory.length() >= 2 && directory.startsWith("\"") && directory.endsWith("\"")) {
                    directory = directory.substring(1, directory.length() - 1);
                }
            }
            if (!directory.isEmpty()) {
                entries.add(directory);
            }
        }
        return entries;
    }

    /** A PATH entry may hold characters this file system rejects; such a candidate is skipped. */
    private static Optional<Path> toPath(String candidate) {
        try {
            return Optional.of(Path.of(candidate));
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    private String join(String directory, String name) {
        boolean endsWithSeparator = directory.endsWith("/") || (windows() && directory.endsWith("\\"));
        return endsWithSeparator ? directory + name : directory + (windows() ? "\\" : "/") + name;
    }

    private Optional<String> variable(String name) {
        String value = environment.get(name);
        if (value == null && windows()) {
            for (Map.Entry<String, String> e : environment.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return Optional.of(e.getValue());
                }
            }
        }
        return Optional.ofNullable(value);
    }

    /**
     * The result of {@link #resolve(String)}.
     *
     * @param path     the executable file, when found
     * @param searched where the resolver looked, for error messages ("searched PATH /usr/bin:/bin")
     */
    public record Resolution(Optional<Path> path, String searched) {
        public Resolution {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(searched, "searched");
        }

        /** Whether an executable file was found. */
        public boolean found() {
            return path.isPresent();
        }
    }
}
