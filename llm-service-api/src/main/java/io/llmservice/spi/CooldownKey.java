package io.llmservice.spi;

import java.util.Objects;

/**
 * Which tool/model pair a {@link CooldownLedger} entry is about, and under which configuration.
 *
 * <p>{@code fingerprint} is a hash of the tool's definition and the values of its {@code env:}
 * variables (never the values themselves): an entry written under another fingerprint belongs to
 * another configuration or other credentials, and does not apply to this one.
 *
 * <pre>{@code
 * CooldownKey key = new CooldownKey("codex", "gpt-5", "9f2c41d07a3b66e1");
 * }</pre>
 *
 * <p>Immutable.
 *
 * @param tool        the tool's configured name; not blank
 * @param model       the catalogue model id; not blank
 * @param fingerprint the configuration's hash, as hex; not blank
 */
public record CooldownKey(String tool, String model, String fingerprint) {
    public CooldownKey {
        requireText(tool, "tool");
        requireText(model, "model");
        requireText(fingerprint, "fingerprint");
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
