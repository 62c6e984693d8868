package io.llmservice.micrometer;

import io.llmservice.BudgetStatus;
import io.llmservice.LlmServiceException;
import io.llmservice.ErrorCode;
import io.llmservice.config.LimitType;
import io.llmservice.config.Scope;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BudgetStandingsTest {
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger reads = new AtomicInteger();
    private volatile boolean storeDown;

    private List<BudgetStatus> read() {
        reads.incrementAndGet();
        if (storeDown) {
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "store down");
        }
        return List.of(status("a", "10", "2.5", "0.5"), status("b", "1", "1.5", "0"));
    }

    private static BudgetStatus status(String name, String limit, String spent, String reserved) {
        return BudgetStatus.builder().name(name).scope(Scope.global()).period("daily 2026-12-01")
                .limitType(LimitType.HARD).limitUsd(new BigDecimal(limit)).spentUsd(new BigDecimal(spent))
                .reservedUsd(new BigDecimal(reserved)).build();
    }

    @Test
    void headroom_isLimitMinusSpentMinusReserved_negativeWhenOverspent() {
        BudgetStandings s = new BudgetStandings(this::read, nanos::get, Duration.ofSeconds(15));
        assertThat(s.headroom("a")).isEqualTo(7.0);
        assertThat(s.headroom("b")).isEqualTo(-0.5);
        assertThat(s.limit("a")).isEqualTo(10.0);
        assertThat(s.headroom("unknown")).isNaN();
    }

    @Test
    void aScrapeOfEveryGauge_readsTheStoreOncePerRefresh() {
        BudgetStandings s = new BudgetStandings(this::read, nanos::get, Duration.ofSeconds(15));
        s.headroom("a");
        s.headroom("b");
        s.limit("a");
        nanos.addAndGet(Duration.ofSeconds(14).toNanos());
        s.headroom("a");
        assertThat(reads).hasValue(1);

        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        s.headroom("a");
        s.headroom("b");
        assertThat(reads).hasValue(2);
    }

    @Test
    void aFailedRead_showsNaN_untilTheNextRefreshReadsAgain() {
        BudgetStandings s = new BudgetStandings(this::read, nanos::get, Duration.ofSeconds(15));
        assertThat(s.headroom("a")).isEqualTo(7.0);
        storeDown = true;
        nanos.addAndGet(Duration.ofSeconds(15).toNanos());
        assertThat(s.headroom("a")).isNaN();
        assertThat(s.headroom("b")).isNaN();
        assertThat(reads).hasValue(2);
        storeDown = false;
        nanos.addAndGet(Duration.ofSeconds(15).toNanos());
        assertThat(s.headroom("a")).isEqualTo(7.0);
    }

    @Test
    void builder_negativeRefresh_isRefusedNamingTheValue() {
        assertThatThrownBy(() -> LlmServiceMetrics.builder(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
                .budgetRefresh(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("budgetRefresh must be zero or positive, was PT-1S");
    }
}
