package io.llmservice.spi;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * A running {@link StoreServer}, as {@code llm-service daemon status} prints it.
 *
 * <pre>{@code
 * StoreServerStatus s = server.status().orElseThrow();
 * System.out.println(s.pid() + " serves " + s.store() + " on " + s.address() + " since " + s.started());
 * }</pre>
 *
 * @param pid     its process id
 * @param address where it listens (for H2: a loopback address and port)
 * @param store   the store it serves
 * @param started when it started serving
 * @param version what it runs, e.g. its protocol, engine and schema versions
 */
public record StoreServerStatus(long pid, String address, Path store, Instant started, String version) {
    public StoreServerStatus {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(version, "version");
    }
}
