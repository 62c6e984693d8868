package io.llmservice.telemetry.h2.internal;

import io.llmservice.spi.TelemetryStore;
import io.llmservice.testkit.AbstractCooldownLedgerContractTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/** The H2 store's cooldowns, on a real file database through its daemon, keep the cooldown ledger contract. */
class H2CooldownLedgerContractIT extends AbstractCooldownLedgerContractTest {
    @TempDir
    Path dir;
    private int opened;

    @AfterEach
    void stopDaemons() throws Exception {
        TestDaemons.stopAll(dir);
    }

    @Override
    protected TelemetryStore createStore() {
        return H2TelemetryStore.open(dir.resolve("telemetry-" + opened++), Clock.systemUTC());
    }

    /** A second store on the same file: a second client of the same daemon, as another process would be. */
    @Override
    protected Optional<TelemetryStore> openAgain(TelemetryStore first) {
        return Optional.of(H2TelemetryStore.open(dir.resolve("telemetry-" + (opened - 1)), Clock.systemUTC()));
    }
}
