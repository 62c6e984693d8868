package io.llmservice.core.internal.adapter;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tool's {@code args:} with its placeholders {@code {model}}, {@code {prompt}},
 * {@code {prompt_file}} and {@code {workdir}}, and {@code {options.NAME}} for a value of the
 * tool's {@code options:}.
 *
 * <pre>{@code
 * ArgvTemplate t = ArgvTemplate.of(List.of("--model", "{model}", "--prompt={prompt}", "--url={options.base_url}"),
 *         Map.of("base_url", "http://127.0.0.1:8080/v1"));
 * t.render(Map.of(Placeholder.MODEL, "sonnet", Placeholder.PROMPT, "a b; $(id)"));
 * // ["--model", "sonnet", "--prompt=a b; $(id)", "--url=http://127.0.0.1:8080/v1"]
 * ArgvTemplate.renderOptions("set {options.env_key}", Map.of("env_key", "LOCAL_KEY")); // "set LOCAL_KEY"
 * }</pre>
 *
 * <p>Each placeholder is replaced inside the one element that holds it: a value is never split
 * into several elements, never re-scanned for placeholders (a prompt containing "{model}" or an
 * option value containing "{prompt}" stays as written) and never given to a shell. Text in
 * braces that is not one of the four names or {@code options.NAME} is left alone.
 * {@link #renderOptions} renders {@code {options.NAME}} alone, for text that is not an argument
 * (environment values, hints).
 *
 * <p>Immutable and thread-safe.
 */
final class ArgvTemplate {

    /** The placeholders of {@code args:}. */
    enum Placeholder {
        MODEL("model"), PROMPT("prompt"), PROMPT_FILE("prompt_file"), WORKDIR("workdir");

        private final String name;

        Placeholder(String name) {
            this.name = name;
        }

        /** As written in YAML, braces included. */
        String token() {
            return "{" + name + "}";
        }

        static Placeholder named(String name) {
            for (Placeholder p : values()) {
                if (p.name.equals(name)) {
                    return p;
                }
            }
            throw new IllegalArgumentException(name);
        }
    }

    /** The prefix of a placeholder that names a value of the tool's {@code options:}. */
    static final String OPTIONS_PREFIX = "options.";

    private static final Pattern PLACEHOLDER =
            Pattern.compile("\\{(model|prompt|prompt_file|workdir|options\\.[A-Za-z_][A-Za-z0-9_-]*)}");
    /** {@code {options.NAME}} alone. */
    static final Pattern OPTION = Pattern.compile("\\{options\\.([A-Za-z_][A-Za-z0-9_-]*)}");

    private final List<String> args;
    private final Map<String, String> options;
    private final Set<Placeholder> used;

    private ArgvTemplate(List<String> args, Map<String, String> options) {
        this.args = List.copyOf(args);
        this.options = Map.copyOf(options);
        EnumSet<Placeholder> found = EnumSet.noneOf(Placeholder.class);
        for (String arg : this.args) {
            Matcher m = PLACEHOLDER.matcher(arg);
            while (m.find()) {
                String name = m.group(1);
                if (name.startsWith(OPTIONS_PREFIX)) {
                    option(name.substring(OPTIONS_PREFIX.length()), this.options, arg);
                } else {
                    found.add(Placeholder.named(name));
                }
            }
        }
        this.used = java.util.Collections.unmodifiableSet(found);
    }

    static ArgvTemplate of(List<String> args) {
        return of(args, Map.of());
    }

    /**
     * @throws IllegalArgumentException when an argument names an option that {@code options} lacks
     */
    static ArgvTemplate of(List<String> args, Map<String, String> options) {
        return new ArgvTemplate(Objects.requireNonNull(args, "args"), Objects.requireNonNull(options, "options"));
    }

    /**
     * {@code text} with every {@code {options.NAME}} replaced by that option's value, not re-scanned;
     * other braces stay as written.
     *
     * @throws IllegalArgumentException when {@code text} names an option that {@code options} lacks
     */
    static String renderOptions(String text, Map<String, String> options) {
        Matcher m = OPTION.matcher(text);
        StringBuilder sb = new StringBuilder(text.length());
        int last = 0;
        while (m.find()) {
            sb.append(text, last, m.start()).append(option(m.group(1), options, null));
            last = m.end();
        }
        return last == 0 ? text : sb.append(text, last, text.length()).toString();
    }

    private static String option(String name, Map<String, String> options, String arg) {
        String value = options.get(name);
        if (value == null) {
            // Never the text around it: an environment value may be a secret.
            throw new IllegalArgumentException("unknown option {options." + name + "}"
                    + (arg == null ? "" : " in argument '" + arg + "'") + "; the tool's options are: "
                    + (options.isEmpty() ? "(none)" : String.join(", ", new java.util.TreeSet<>(options.keySet())))
                    + "; add it under options: or remove the placeholder");
        }
        return value;
    }

    /** The placeholders the template contains. */
    Set<Placeholder> placeholders() {
        return used;
    }

    /**
     * The arguments with every placeholder replaced by its value.
     *
     * @throws IllegalArgumentException when a used placeholder has no value
     */
    List<String> render(Map<Placeholder, String> values) {
        List<String> out = new ArrayList<>(args.size());
        for (String arg : args) {
            Matcher m = PLACEHOLDER.matcher(arg);
            StringBuilder sb = new StringBuilder(arg.length());
            int last = 0;
            while (m.find()) {
                String name = m.group(1);
                if (name.startsWith(OPTIONS_PREFIX)) {
                    sb.append(arg, last, m.start()).append(options.get(name.substring(OPTIONS_PREFIX.length())));
                    last = m.end();
                    continue;
                }
                Placeholder p = Placeholder.named(name);
                String value = values.get(p);
                if (value == null) {
                    throw new IllegalArgumentException("no value for " + p.token() + " in argument '" + arg + "'");
                }
                sb.append(arg, last, m.start()).append(value);
                last = m.end();
            }
            out.add(last == 0 ? arg : sb.append(arg, last, arg.length()).toString());
        }
        return out;
    }
}
