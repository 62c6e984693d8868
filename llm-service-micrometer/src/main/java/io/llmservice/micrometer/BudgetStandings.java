package io.llmservice.micrometer;

import io.llmservice.BudgetStatus;
import io.llmservice.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The budgets' standings, read from the service at most once per refresh interval: a scrape reads
 * one gauge per budget, and each must not cost a query of the telemetry store. A read that fails (the
 * store down, the service closed) leaves no standing until the next read, so the gauges show NaN
 * rather than stale figures. Thread-safe.
 */
final class BudgetStandings {
    private static final Logger LOG = LoggerFactory.getLogger(BudgetStandings.class);

    private final Supplier<List<BudgetStatus>> source;
    private final Ticker ticker;
    private final long refreshNanos;
    private List<BudgetStatus> last = List.of();
    private long readAt;
    private boolean read;

    BudgetStandings(Supplier<List<BudgetStatus>> source, Ticker ticker, Duration refresh) {
        this.source = Objects.requireNonNull(source, "source");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.refreshNanos = refresh.toNanos();
    }

    /** The budget's standing, read afresh when the last read is older than the refresh interval. */
    synchronized Optional<BudgetStatus> get(String budget) {
        long now = ticker.read();
        if (!read || now - readAt >= refreshNanos) {
            read = true;
            readAt = now;
            try {
                last = List.copyOf(source.get());
            } catch (RuntimeException e) {
                last = List.of();
                LOG.debug("could not read the budgets' standings for the headroom gauges: {}", e.toString());
            }
        }
        return last.stream().filter(s -> s.name().equals(budget)).findFirst();
    }

    /** Limit − spent − reserved; negative when spend ran past the limit; NaN when unknown. */
    double headroom(String budget) {
        return get(budget).map(s -> s.limitUsd().subtract(s.spentUsd()).subtract(s.reservedUsd()).doubleValue())
                .orElse(Double.NaN);
    }

    double limit(String budget) {
        return get(budget).map(s -> s.limitUsd().doubleValue()).orElse(Double.NaN);
    }
}
