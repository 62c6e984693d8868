package io.llmservice.core.internal.pipeline;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OutageGateTest {

    @Test
    void failed_onlyTheFirstOfAnOutage_succeeded_onlyTheFirstAfterIt() {
        OutageGate gate = new OutageGate();

        assertThat(gate.succeeded()).as("no outage yet").isFalse();
        assertThat(gate.failed()).as("the outage begins").isTrue();
        assertThat(gate.failed()).as("still down: not reported again").isFalse();
        assertThat(gate.failed()).isFalse();
        assertThat(gate.succeeded()).as("the outage ends").isTrue();
        assertThat(gate.succeeded()).isFalse();
        assertThat(gate.failed()).as("a new outage is reported again").isTrue();
    }
}
