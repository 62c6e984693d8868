package io.llmservice;

import java.util.Locale;

/**
 * What a stats report groups by. Agent and team belong to the request; tool and model to each attempt.
 *
 * <pre>{@code
 * StatsReport byTeam = llm.stats(StatsQuery.builder().period(StatsPeriod.MONTH).groupBy(StatsDimension.TEAM).build());
 * }</pre>
 */
public enum StatsDimension {
    AGENT, TEAM, MODEL, TOOL;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
