package io.llmservice.core.internal.telemetry;

import io.llmservice.spi.TelemetryStore;
import io.llmservice.testkit.AbstractCooldownLedgerContractTest;

/** The {@code memory} store's cooldowns keep the shared cooldown ledger contract. */
class InMemoryCooldownLedgerContractTest extends AbstractCooldownLedgerContractTest {
    @Override
    protected TelemetryStore createStore() {
        return new InMemoryTelemetryStore();
    }
}
