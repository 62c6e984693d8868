package io.llmservice.core.internal.whatif;

import io.llmservice.ConfigSource;
import io.llmservice.ErrorCode;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.ReportQuery;
import io.llmservice.StatsQuery;
import io.llmservice.WhatIfReport;
import io.llmservice.config.LlmConfig;
import io.llmservice.core.internal.MutableClock;
import io.llmservice.core.internal.telemetry.InMemoryTelemetryStore;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.TelemetryStore;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link LlmService#whatIf} over a real (in-memory) store, and its section of the HTML report. */
class WhatIfServiceTest {

    private static LlmService service(TelemetryStore store) {
        return LlmService.builder().config(ConfigSource.text("llm-service.yaml", WhatIfReplayTest.PROPOSED))
                .environment(Map.of()).clock(MutableClock.at("2026-11-05T00:00:00Z")).telemetryStore(store).build();
    }

    @Test
    void whatIf_readsTheStoresLog_andTheReportGetsAWhatIfSection() {
        InMemoryTelemetryStore store = new InMemoryTelemetryStore();
        WhatIfReplayTest.log().forEach(store::record);
        LlmConfig proposed = WhatIfReplayTest.proposed();
        try (LlmService llm = service(store)) {
            WhatIfReport r = llm.whatIf(proposed, StatsQuery.builder().since(WhatIfReplayTest.FROM)
                    .until(WhatIfReplayTest.TO).build());
            assertThat(r.requests()).isEqualTo(7);
            assertThat(r.total().proposedUsd()).isEqualByComparingTo("0.16");

            // no window: the whole log up to the service's clock
            WhatIfReport all = llm.whatIf(proposed, StatsQuery.builder().build());
            assertThat(all.from()).isEqualTo(Instant.EPOCH);
            assertThat(all.to()).isEqualTo(Instant.parse("2026-11-05T00:00:00Z"));
            assertThat(all.total()).isEqualTo(r.total());

            StringWriter html = new StringWriter();
            llm.writeReport(llm.report(ReportQuery.builder().from(WhatIfReplayTest.FROM).to(WhatIfReplayTest.TO)
                    .build()), r, html);
            String page = html.toString();
            assertThat(page).contains("<section id=\"whatif\"><h2>What if</h2>",
                    "7 requests from 2026-11-01T00:00:00Z to 2026-11-03T00:00:00Z replayed under routing strategy"
                            + " &#39;cost-optimized&#39;",
                    "<caption>Cost per agent, recorded and proposed</caption>",
                    "<th scope=\"row\">(total)</th><td class=\"num\">7</td><td class=\"num\">$0.2880</td><td class=\"num\">$0.1600</td>"
                            + "<td class=\"num\">-$0.1280</td><td class=\"num\">-44.44 %</td>",
                    "<th scope=\"row\">writer-daily</th>", "<h3>Assumptions</h3>", "Token counts are carried over unchanged")
                    .doesNotContain("<script");
            assertThat(page.indexOf("id=\"whatif\"")).isGreaterThan(page.indexOf("id=\"outcomes\""));
        }
    }

    @Test
    void whatIf_overRecordsWithoutRouteInput_isRefused() {
        InMemoryTelemetryStore store = new InMemoryTelemetryStore();
        InvocationRecord old = WhatIfReplayTest.log().get(0).toBuilder()
                .routeInput(java.util.Optional.empty()).build();
        store.record(old);
        try (LlmService llm = service(store)) {
            assertThatThrownBy(() -> llm.whatIf(WhatIfReplayTest.proposed(), StatsQuery.builder().build()))
                    .isInstanceOfSatisfying(LlmServiceException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                    .hasMessageContaining("1 of the 1 requests between");
        }
    }
}
