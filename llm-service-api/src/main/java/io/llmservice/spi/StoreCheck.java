package io.llmservice.spi;

import java.util.List;
import java.util.Objects;

/**
 * What {@link TelemetryStore#check()} found: whether the whole store could be read back, and one
 * line per thing it looked at or found wrong — {@code llm-service telemetry check} prints them.
 *
 * <pre>{@code
 * StoreCheck c = store.check();
 * c.findings().forEach(System.out::println);
 * if (!c.ok()) System.exit(1);
 * }</pre>
 *
 * @param ok       true when nothing was found wrong
 * @param findings what was checked and found, one line each
 */
public record StoreCheck(boolean ok, List<String> findings) {
    public StoreCheck {
        findings = List.copyOf(Objects.requireNonNull(findings, "findings"));
    }
}
