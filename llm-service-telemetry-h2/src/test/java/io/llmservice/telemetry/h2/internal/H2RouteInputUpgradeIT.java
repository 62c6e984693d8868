package io.llmservice.telemetry.h2.internal;

import io.llmservice.Complexity;
import io.llmservice.Outcome;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.RouteInput;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A store file of the previous release (schema v9) opened by this build (v10, the route input). */
class H2RouteInputUpgradeIT {
    private static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2027-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @AfterEach
    void stopDaemons() throws Exception {
        TestDaemons.stopAll(dir);
    }

    @Test
    void v9File_opensUnderV10_oldRecordsScanWithoutARouteInput_newOnesWithIt() throws Exception {
        Path base = dir.resolve("telemetry");
        String url = TestDaemons.embeddedUrl(base);
        Flyway.configure(SchemaMigrator.class.getClassLoader()).dataSource(url, "sa", "")
                .locations(SchemaMigrator.LOCATION).table(SchemaMigrator.HISTORY_TABLE).target("9").load().migrate();
        List<InvocationRecord> old = LegacyLog.randomRecords(new java.util.Random(10), 1_000);
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            LegacyLog.insert(c, old);
        }
        RouteInput in = RouteInput.builder(4321).complexity(Complexity.MEDIUM).model("m-haiku").build();
        InvocationRecord later = InvocationRecord.builder().requestId("after-upgrade").attempt(1)
                .startedAt(Instant.parse("2026-12-20T10:00:00Z")).agent("reviewer").tool("claude").model("m-haiku")
                .outcome(Outcome.SUCCESS).latency(Duration.ofMillis(5)).routeInput(in).build();

        try (H2TelemetryStore store = H2TelemetryStore.open(base, Clock.systemUTC())) {
            store.record(later);
            List<InvocationRecord> scanned = new ArrayList<>();
            store.scanRecords(FROM, TO, scanned::add);

            List<String> expected = new ArrayList<>();
            old.stream().sorted(Comparator.comparing(InvocationRecord::startedAt)
                            .thenComparing(InvocationRecord::requestId).thenComparingInt(InvocationRecord::attempt))
                    .forEach(r -> expected.add(r.requestId() + "#" + r.attempt()));
            assertThat(scanned).extracting(r -> r.requestId() + "#" + r.attempt()).hasSize(old.size() + 1)
                    .containsSubsequence(expected).contains("after-upgrade#1");
            assertThat(scanned).filteredOn(r -> !r.requestId().equals("after-upgrade"))
                    .allSatisfy(r -> assertThat(r.routeInput()).as(r.requestId()).isEmpty());
            assertThat(store.findByRequest("after-upgrade").get(0).routeInput()).contains(in);
            assertThat(store.findByRequest(old.get(0).requestId())).allSatisfy(r -> assertThat(r.routeInput()).isEmpty());
        }
    }
}
