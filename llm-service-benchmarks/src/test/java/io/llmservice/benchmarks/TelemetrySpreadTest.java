package io.llmservice.benchmarks;

import io.llmservice.ModelUsage;
import io.llmservice.Outcome;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.PriorAttempt;
import io.llmservice.spi.RollupContributions;
import io.llmservice.spi.RollupKey;
import io.llmservice.spi.RollupRow;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The spread of records the stats benchmarks fill a store with: what docs/benchmarks.md says of it. */
class TelemetrySpreadTest {

    @Test
    void generate_aMillionRecords_makesTheRollupRowsTheDocsState() {
        // the keys a store rolls up into, by the store's own rules (RollupContributions); a request's
        // attempts come one after the other
        Set<RollupKey> keys = new HashSet<>();
        List<PriorAttempt> earlier = new ArrayList<>();
        String[] request = {""};
        long[] seen = {0};
        TelemetryStoreBenchmark.Spread.Counts counts = TelemetryStoreBenchmark.Spread.generate(1_000_000, r -> {
            if (!r.requestId().equals(request[0])) {
                request[0] = r.requestId();
                earlier.clear();
            }
            for (RollupRow row : RollupContributions.of(r, earlier)) {
                keys.add(row.key());
            }
            earlier.add(PriorAttempt.of(r));
            seen[0]++;
        });

        assertThat(counts.records()).isEqualTo(1_000_000).isEqualTo(seen[0]);
        assertThat(counts.requests()).isEqualTo(934_645);
        assertThat(keys).hasSize(122_672);
        assertThat(counts.rollupKeys()).isEqualTo(keys.size());
    }

    @Test
    void generate_teamTraffic_asDescribed() {
        List<InvocationRecord> records = new ArrayList<>();
        TelemetryStoreBenchmark.Spread.generate(100_000, records::add);

        Map<String, List<InvocationRecord>> byRequest = new LinkedHashMap<>();
        records.forEach(r -> byRequest.computeIfAbsent(r.requestId(), id -> new ArrayList<>()).add(r));
        Map<String, Set<String>> agentsByTeam = new LinkedHashMap<>();
        records.forEach(r -> agentsByTeam.computeIfAbsent(r.team().orElseThrow(), t -> new HashSet<>()).add(r.agent()));
        assertThat(agentsByTeam).containsOnlyKeys("platform", "payments", "mobile");
        assertThat(agentsByTeam.get("platform")).hasSize(4);
        assertThat(agentsByTeam.get("payments")).hasSize(3);
        assertThat(agentsByTeam.get("mobile")).hasSize(3);
        assertThat(records).extracting(InvocationRecord::tool).containsOnly("claude-code", "codex", "gemini-cli");
        assertThat(records.stream().map(InvocationRecord::model).distinct()).hasSize(6);
        assertThat(records).allSatisfy(r -> assertThat(r.startedAt())
                .isBetween(TelemetryStoreBenchmark.START, TelemetryStoreBenchmark.START.plus(TelemetryStoreBenchmark.Spread.SPAN)));

        long refused = byRequest.values().stream().filter(a -> a.get(0).attempt() == 0).count();
        long fallbacks = byRequest.values().stream().filter(a -> a.size() == 2).count();
        assertThat(refused / (double) byRequest.size()).isBetween(0.025, 0.035);
        assertThat(fallbacks / (double) byRequest.size()).isBetween(0.06, 0.075);
        for (List<InvocationRecord> attempts : byRequest.values()) {
            InvocationRecord first = attempts.get(0);
            if (first.attempt() == 0) {
                assertThat(first.outcome()).isIn(Outcome.BUDGET_BLOCKED, Outcome.RATE_LIMITED);
                assertThat(attempts).hasSize(1);
            } else if (attempts.size() == 2) {
                assertThat(first.outcome()).isIn(Outcome.FAILED, Outcome.TIMEOUT);
                assertThat(attempts.get(1).attempt()).isEqualTo(2);
                assertThat(attempts.get(1).tool()).isNotEqualTo(first.tool());
            }
        }
        List<InvocationRecord> shared = records.stream().filter(r -> !r.modelUsage().isEmpty()).toList();
        assertThat(shared).isNotEmpty().allSatisfy(r -> {
            assertThat(r.tool()).isEqualTo("claude-code");
            assertThat(r.modelUsage()).extracting(ModelUsage::model)
                    .containsExactly(r.model(), TelemetryStoreBenchmark.Spread.SUB_AGENT_MODEL);
        });
    }
}
