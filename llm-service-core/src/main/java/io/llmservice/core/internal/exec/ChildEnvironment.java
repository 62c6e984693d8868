package io.llmservice.core.internal.exec;

import io.llmservice.config.OsFamily;

import java.util.Collections;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds the minimal environment a tool's process gets, so the parent's secrets do not leak
 * into it: a fixed list of variables a program needs to run at all, taken from the parent,
 * plus what the tool's {@code env:} declares.
 *
 * <pre>{@code
 * Map<String, String> env = ChildEnvironment.build(Os.current(), System.getenv(),
 *         Map.of("ANTHROPIC_API_KEY", resolvedKey));
 * }</pre>
 *
 * <p>Taken from the parent: {@code PATH}, {@code HOME}, the locale ({@code LANG},
 * {@code LANGUAGE}, {@code LC_*}), {@code TMPDIR}, {@code TEMP}, {@code TMP}; on Windows also
 * {@code SYSTEMROOT}, {@code WINDIR}, {@code COMSPEC}, {@code PATHEXT}, {@code USERPROFILE},
 * {@code APPDATA}, {@code LOCALAPPDATA}. Nothing else.
 *
 * <p>Rules: the tool's entries override the parent's; entries whose value is empty are dropped
 * (so a tool can unset an inherited variable with {@code NAME: ""}, and an unset
 * {@code ${VAR:-}} simply disappears). On Windows names compare case-insensitively, as the OS
 * does ({@code Path} is {@code PATH}); the parent's spelling is kept unless the tool overrides.
 *
 * <p>Stateless and thread-safe. Values are never logged or put into exception messages.
 */
public final class ChildEnvironment {

    private static final Set<String> COMMON = Set.of("PATH", "HOME", "LANG", "LANGUAGE", "TMPDIR", "TEMP", "TMP");
    private static final Set<String> WINDOWS_ONLY = Set.of("SYSTEMROOT", "WINDIR", "COMSPEC", "PATHEXT",
            "USERPROFILE", "APPDATA", "LOCALAPPDATA");

    private ChildEnvironment() {
    }

    /**
     * The complete environment for a child process.
     *
     * @param os      the family whose rules apply (Windows: case-insensitive names, extra variables)
     * @param parent  the parent's environment, usually {@link System#getenv()}
     * @param toolEnv the tool's resolved {@code env:} entries
     * @return an unmodifiable map sorted by name
     * @throws IllegalArgumentException when a tool entry's name is empty or contains {@code '='} or NUL
     */
    public static Map<String, String> build(OsFamily os, Map<String, String> parent, Map<String, String> toolEnv) {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(toolEnv, "toolEnv");
        boolean windows = os == OsFamily.WINDOWS;
        Comparator<String> order = windows ? String.CASE_INSENSITIVE_ORDER : Comparator.naturalOrder();
        TreeMap<String, String> env = new TreeMap<>(order);
        parent.forEach((name, value) -> {
            if (name != null && value != null && inherited(name, windows)) {
                env.put(name, value);
            }
        });
        toolEnv.forEach((name, value) -> {
            Objects.requireNonNull(name, "env name");
            Objects.requireNonNull(value, () -> "env value of " + name);
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("env name '" + name.replace('\0', '?')
                        + "' is invalid: it must be non-empty and contain neither '=' nor NUL");
            }
            // Remove first so the tool's spelling wins on Windows, where keys compare case-insensitively.
            env.remove(name);
            env.put(name, value);
        });
        env.values().removeIf(String::isEmpty);
        TreeMap<String, String> result = new TreeMap<>(env);
        return Collections.unmodifiableMap(result);
    }

    private static boolean inherited(String name, boolean windows) {
        String key = windows ? name.toUpperCase(Locale.ROOT) : name;
        if (COMMON.contains(key) || key.startsWith("LC_")) {
            return true;
        }
        return windows && WINDOWS_ONLY.contains(key);
    }
}
