package io.llmservice.telemetry.h2.internal;

import io.llmservice.spi.StoreServer;
import io.llmservice.spi.StoreServerStatus;

import java.time.Duration;
import java.util.Optional;

/** The {@link StoreServer} view of one store's daemon ({@link StoreDaemon}): status and stop, never start. */
final class H2StoreServer implements StoreServer {
    private final StoreFiles files;

    H2StoreServer(StoreFiles files) {
        this.files = files;
    }

    @Override
    public Optional<StoreServerStatus> status() {
        if (!DaemonLauncher.daemonAlive(files)) {
            return Optional.empty();
        }
        // Alive but not (yet, or no longer) published: starting or stopping.
        return Optional.of(DaemonEndpoint.read(files.endpoint())
                .map(e -> new StoreServerStatus(e.pid(), "127.0.0.1:" + e.port(), files.base(), e.started(),
                        "protocol " + e.protocol() + ", H2 " + e.h2() + ", schema v" + e.schema()
                                + (e.compatibleWithThisBuild() ? "" : " (another build: the next client replaces it)")))
                .orElse(new StoreServerStatus(-1, "(starting or stopping)", files.base(), java.time.Instant.EPOCH, "")));
    }

    @Override
    public boolean stop(Duration wait) {
        return DaemonLauncher.stop(files, wait);
    }
}
