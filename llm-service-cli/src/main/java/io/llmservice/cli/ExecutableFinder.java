package io.llmservice.cli;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds a binary the way the library's process runner does, without a shell: a name with a path
 * separator is a path (relative to the working directory); otherwise each {@code PATH} entry in
 * order, empty entries skipped (they would mean "the current directory"); on Windows with each
 * {@code PATHEXT} extension. The public API has no "where is this tool" query, so {@code tools}
 * and {@code config init} use this.
 */
final class ExecutableFinder {
    private final CliEnvironment env;
    private final boolean windows;

    ExecutableFinder(CliEnvironment env) {
        this(env, System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows"));
    }

    ExecutableFinder(CliEnvironment env, boolean windows) {
        this.env = env;
        this.windows = windows;
    }

    Optional<Path> find(String binary) {
        if (binary.isBlank()) {
            return Optional.empty();
        }
        boolean isPath = binary.contains("/") || (windows && (binary.contains("\\") || binary.contains(":")));
        if (isPath) {
            return candidates(binary).stream().map(this::pathOf).flatMap(Optional::stream)
                    .map(p -> env.workingDirectory().resolve(p)).filter(ExecutableFinder::executable).findFirst();
        }
        String path = variable("PATH");
        if (path == null || path.isBlank()) {
            return Optional.empty();
        }
        for (String entry : path.split(windows ? ";" : ":")) {
            String dir = windows ? entry.replace("\"", "") : entry;
            if (dir.isEmpty()) {
                continue;
            }
            for (String name : candidates(binary)) {
                Optional<Path> p = pathOf(dir).map(d -> d.resolve(name));
                if (p.isPresent() && executable(p.get())) {
                    return p;
                }
            }
        }
        return Optional.empty();
    }

    private List<String> candidates(String binary) {
        List<String> names = new ArrayList<>();
        names.add(binary);
        if (windows) {
            String ext = Optional.ofNullable(variable("PATHEXT")).orElse(".COM;.EXE;.BAT;.CMD");
            for (String e : ext.split(";")) {
                if (!e.isBlank() && !binary.toLowerCase(Locale.ROOT).endsWith(e.toLowerCase(Locale.ROOT))) {
                    names.add(binary + e.toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }

    private String variable(String name) {
        if (!windows) {
            return env.variables().get(name);
        }
        return env.variables().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(java.util.Map.Entry::getValue).findFirst().orElse(null);
    }

    private Optional<Path> pathOf(String text) {
        try {
            return Optional.of(Path.of(text));
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static boolean executable(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p);
    }
}
