package io.llmservice.core.internal.whatif;

import io.llmservice.WhatIfBudget;
import io.llmservice.config.BudgetDefinition;
import io.llmservice.config.LimitType;
import io.llmservice.core.internal.budget.BudgetWindow;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;

/**
 * One proposed budget during a replay: the spend of its current period only (requests come in time
 * order, so a new period starts from zero and the old one is forgotten), and what it did so far. The first
 * period starts from zero too, even when the replay starts in its middle: spend before the replayed window
 * is not read (the report says so among its assumptions).
 */
final class BudgetTrack {
    final BudgetDefinition definition;
    private final ZoneId zone;
    private String windowKey = "";
    private LocalDate day;
    private BigDecimal spent = BigDecimal.ZERO;
    private long refused;
    private long downgraded;
    private long over;
    private LocalDate ranOutOn;
    private String lastRunOutWindow = "";
    private long periodsRunOut;

    BudgetTrack(BudgetDefinition definition, ZoneId zone) {
        this.definition = definition;
        this.zone = zone;
    }

    boolean applies(String agent, Optional<String> team, String tool, String model) {
        return definition.scope().matches(agent, team.orElse(null), tool, model);
    }

    /**
     * Moves to the period holding {@code at}, starting its spend from zero when it is a new one. The
     * period's key is made only when the local day changes (requests come in time order; most share
     * their day with the one before).
     */
    void enter(Instant at) {
        LocalDate day = LocalDate.ofInstant(at, zone);
        if (day.equals(this.day)) {
            return;
        }
        this.day = day;
        String key = BudgetWindow.containing(definition.period(), at, zone).key();
        if (!key.equals(windowKey)) {
            windowKey = key;
            spent = BigDecimal.ZERO;
        }
    }

    /** Whether a hard limit refuses {@code usd} more (a soft one never does). */
    boolean refuses(BigDecimal usd) {
        return definition.limitType() == LimitType.HARD && spent.add(usd).compareTo(definition.limitUsd()) > 0;
    }

    /** Books an admitted request; a soft limit exceeded by it (or before it) counts it as over. */
    void spend(BigDecimal usd, Instant at) {
        spent = spent.add(usd);
        if (definition.limitType() == LimitType.SOFT && spent.compareTo(definition.limitUsd()) > 0) {
            over++;
            ranOut(at);
        }
    }

    void refused(Instant at) {
        refused++;
        ranOut(at);
    }

    void downgraded(Instant at) {
        downgraded++;
        ranOut(at);
    }

    private void ranOut(Instant at) {
        if (ranOutOn == null) {
            ranOutOn = LocalDate.ofInstant(at, zone);
        }
        if (!windowKey.equals(lastRunOutWindow)) {
            lastRunOutWindow = windowKey;
            periodsRunOut++;
        }
    }

    WhatIfBudget result() {
        return new WhatIfBudget(definition, refused, downgraded, over, Optional.ofNullable(ranOutOn), periodsRunOut);
    }
}
