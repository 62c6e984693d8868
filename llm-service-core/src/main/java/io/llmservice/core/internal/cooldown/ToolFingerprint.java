package io.llmservice.core.internal.cooldown;

import io.llmservice.config.ToolDefinition;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fingerprint a cooldown is kept under: the first 16 bytes of a SHA-256 over a tool's
 * definition (binary, arguments, prompt mode, model names, options) and the names and values of its
 * {@code env:} variables, as hex. A changed API key or configuration gives another fingerprint, so
 * a cooldown it caused no longer applies; the values themselves are never stored. Maps are hashed
 * sorted by key, so every process computes the same fingerprint for the same definition.
 */
public final class ToolFingerprint {
    private ToolFingerprint() {
    }

    public static String of(ToolDefinition tool) {
        StringBuilder sb = new StringBuilder();
        field(sb, "name", tool.name());
        field(sb, "type", tool.type());
        field(sb, "binary", tool.binary());
        field(sb, "binary_by_os", sorted(tool.binaryByOs()));
        field(sb, "args", tool.args());
        field(sb, "prompt", tool.prompt().name());
        field(sb, "env", sorted(tool.env()));
        field(sb, "models", sorted(tool.models()));
        field(sb, "options", sorted(tool.options()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Length-prefixed, so that no two definitions run together into the same text. */
    private static void field(StringBuilder sb, String name, Object value) {
        String text = String.valueOf(value);
        sb.append(name).append(':').append(text.length()).append(':').append(text).append('\n');
    }

    private static Map<String, String> sorted(Map<?, String> map) {
        Map<String, String> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }
}
