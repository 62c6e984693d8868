package io.llmservice.core.internal.telemetry;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secrets in text before it is stored: API-key shapes of the vendors we run
 * ({@code sk-ant-…}, {@code sk-…}, {@code AIza…}), bearer tokens, and every literal value the
 * tools' {@code env:} entries hold. Immutable and thread-safe.
 */
public final class SecretRedactor {
    static final String MASK = "[REDACTED]";
    private static final Pattern KEY_SHAPES = Pattern.compile(
            "sk-ant-[A-Za-z0-9_\\-]{8,}"
                    + "|sk-(?:proj-|svcacct-)?[A-Za-z0-9_\\-]{16,}"
                    + "|AIza[0-9A-Za-z_\\-]{30,}"
                    + "|(?i:bearer)\\s+[A-Za-z0-9._~+/\\-]{8,}=*");
    private static final int MIN_LITERAL_LENGTH = 6;

    private final List<String> literals;

    /** @param literalSecrets values to mask wherever they appear; short values (under 6 chars) are ignored */
    public SecretRedactor(Collection<String> literalSecrets) {
        this.literals = literalSecrets.stream().filter(s -> s.length() >= MIN_LITERAL_LENGTH).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    public String redact(String text) {
        String out = text;
        for (String literal : literals) {
            out = out.replace(literal, MASK);
        }
        Matcher m = KEY_SHAPES.matcher(out);
        return m.find() ? m.replaceAll(MASK) : out;
    }
}
