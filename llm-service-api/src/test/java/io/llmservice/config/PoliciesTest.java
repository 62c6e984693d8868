package io.llmservice.config;

import io.llmservice.RecordComponents;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PoliciesTest {
    private static final TelemetrySettings MEMORY = TelemetrySettings.builder().store("memory").path(Path.of("unused")).build();

    @Test
    void builder_telemetryOnly_fillsTheDocumentedDefaults() {
        assertThat(Policies.builder().telemetry(MEMORY).build()).isEqualTo(new Policies(RoutingPolicy.defaults(),
                List.of(), List.of(), MEMORY, ZoneOffset.UTC, Optional.empty(), new BigDecimal("5.00"),
                CooldownPolicy.defaults()));
    }

    @Test
    void toBuilder_copiesEveryComponent() {
        BudgetDefinition daily = new BudgetDefinition("daily", BudgetDefinition.DEFAULT_TYPE, Scope.global(),
                BudgetPeriod.DAILY, new BigDecimal("10"), LimitType.HARD, BudgetDefinition.DEFAULT_WARN_AT,
                OnExceed.BLOCK, Optional.empty());
        Policies full = Policies.builder()
                .routing(new RoutingPolicy("cheapest", 42, Map.of()))
                .budget(daily)
                .rateLimit(new RateLimitDefinition(Scope.global(), 10, 0, OnLimit.WAIT, Duration.ofSeconds(5)))
                .telemetry(TelemetrySettings.builder().store("h2").path(Path.of("/var/lib/llm")).privacy(Privacy.FULL).build())
                .timezone(ZoneId.of("Europe/Berlin"))
                .defaultAgent("coder")
                .maxReservationUsd(new BigDecimal("0.50"))
                .cooldown(CooldownPolicy.off())
                .build();

        assertThat(RecordComponents.equalIn(full, Policies.builder().telemetry(MEMORY).build())).isEmpty();
        assertThat(full.toBuilder().build()).isEqualTo(full);
        Policies utc = full.toBuilder().timezone(ZoneOffset.UTC).build();
        assertThat(RecordComponents.equalIn(utc, full)).doesNotContain("timezone").hasSize(7);
    }

    @Test
    void listSetters_replace_andSingleEntrySettersAdd() {
        RateLimitDefinition a = new RateLimitDefinition(Scope.global(), 1, 0, OnLimit.FAIL, Duration.ofSeconds(1));
        RateLimitDefinition b = new RateLimitDefinition(Scope.global(), 2, 0, OnLimit.FAIL, Duration.ofSeconds(1));
        RateLimitDefinition c = new RateLimitDefinition(Scope.global(), 3, 0, OnLimit.FAIL, Duration.ofSeconds(1));

        Policies p = Policies.builder().telemetry(MEMORY).rateLimit(a).rateLimits(List.of(b)).rateLimit(c).build();

        assertThat(p.rateLimits()).containsExactly(b, c);
    }

    @Test
    void build_namesTheMissingPartOrTheBadValue() {
        assertThatThrownBy(() -> Policies.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessage("Policies.telemetry is required and was not set");
        assertThatThrownBy(() -> Policies.builder().telemetry(MEMORY).maxReservationUsd(BigDecimal.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("max_reservation_usd must be > 0, was 0");
    }
}
