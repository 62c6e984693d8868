package io.llmservice;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.Optional;

/**
 * One agent's (or the total's) line of a {@link WhatIfReport}: how many of its requests were replayed,
 * what they cost as recorded and what they would have cost under the proposed configuration.
 *
 * <pre>{@code
 * WhatIfCost total = report.total();
 * System.out.println("saved $" + total.differenceUsd().negate() + " (" + total.percent().orElse(null) + " %)");
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param agent       the agent's name; {@link #TOTAL} for the total line
 * @param requests    requests replayed
 * @param recordedUsd what they cost as recorded (the sum of their records' costs; an unknown cost counts 0)
 * @param proposedUsd what they would have cost under the proposed configuration
 */
public record WhatIfCost(String agent, long requests, BigDecimal recordedUsd, BigDecimal proposedUsd) {
    /** The {@link #agent()} of the total line. */
    public static final String TOTAL = "(total)";

    public WhatIfCost {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(recordedUsd, "recordedUsd");
        Objects.requireNonNull(proposedUsd, "proposedUsd");
        if (requests < 0) {
            throw new IllegalArgumentException("WhatIfCost.requests must be >= 0, was " + requests);
        }
    }

    /** Proposed minus recorded: negative when the proposed configuration is cheaper. */
    public BigDecimal differenceUsd() {
        return proposedUsd.subtract(recordedUsd);
    }

    /**
     * The difference as a percentage of the recorded cost, to two decimals (half up); empty when the
     * recorded cost is zero.
     */
    public Optional<BigDecimal> percent() {
        if (recordedUsd.signum() == 0) {
            return Optional.empty();
        }
        return Optional.of(differenceUsd().movePointRight(2).divide(recordedUsd, 2, RoundingMode.HALF_UP));
    }
}
