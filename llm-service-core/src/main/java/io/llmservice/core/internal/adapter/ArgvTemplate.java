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
 * {@code {prompt_file}} and {@code {workdir}}.
 *
 * <pre>{@code
 * ArgvTemplate t = ArgvTemplate.of(List.of("--model", "{model}", "--prompt={prompt}"));
 * t.render(Map.of(Placeholder.MODEL, "sonnet", Placeholder.PROMPT, "a b; $(id)"));
 * // ["--model", "sonnet", "--prompt=a b; $(id)"]
 * }</pre>
 *
 * <p>Each placeholder is replaced inside the one element that holds it: a value is never split
 * into several elements, never re-scanned for placeholders (a prompt containing "{model}" stays
 * as written) and never given to a shell. Text in braces that is not one of the four names is
 * left alone.
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

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(model|prompt|prompt_file|workdir)}");

    private final List<String> args;
    private final Set<Placeholder> used;

    private ArgvTemplate(List<String> args) {
        this.args = List.copyOf(args);
        EnumSet<Placeholder> found = EnumSet.noneOf(Placeholder.class);
        for (String arg : this.args) {
            Matcher m = PLACEHOLDER.matcher(arg);
            while (m.find()) {
                found.add(Placeholder.named(m.group(1)));
            }
        }
        this.used = java.util.Collections.unmodifiableSet(found);
    }

    static ArgvTemplate of(List<String> args) {
        return new ArgvTemplate(Objects.requireNonNull(args, "args"));
    }

    private static final Pattern OPTION = Pattern.compile("\\{options\\.([A-Za-z0-9_.-]+)}");

    /**
     * A text (a hint) with each {@code {options.NAME}} replaced by the tool's {@code options:}
     * value; a name the options do not hold is left as written.
     */
    static String renderText(String text, Map<String, String> options) {
        Matcher m = OPTION.matcher(text);
        StringBuilder sb = new StringBuilder(text.length());
        while (m.find()) {
            String value = options.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(value == null ? m.group() : value));
        }
        return m.appendTail(sb).toString();
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
                Placeholder p = Placeholder.named(m.group(1));
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
