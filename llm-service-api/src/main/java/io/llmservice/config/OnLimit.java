package io.llmservice.config;

import java.util.Locale;

/**
 * What a rate limit does with a request over the limit: fail at once with a retry-after, or wait up to {@code max_wait}.
 *
 * <pre>{@code
 * // policies: {rate_limits: [{scope: {agent: helper}, requests_per_minute: 10, on_limit: wait, max_wait: 30s}]}
 * boolean waits = limit.onLimit() == OnLimit.WAIT;
 * }</pre>
 */
public enum OnLimit {
    FAIL, WAIT;

    /** The lower-case name used in YAML. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
