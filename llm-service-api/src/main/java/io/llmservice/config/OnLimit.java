package io.llmservice.config;

import java.util.Locale;

/** What a rate limit does with a request over the limit: fail at once with a retry-after, or wait up to {@code max_wait}. */
public enum OnLimit {
    FAIL, WAIT;

    /** The lower-case name used in YAML. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
