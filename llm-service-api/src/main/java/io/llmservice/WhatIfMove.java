package io.llmservice;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * How many replayed requests went from one tool/model (as recorded: the attempt that answered, else
 * the last attempt) to another (the proposed configuration's choice), and what they cost before and
 * after. A request whose choice did not change is counted under a move to the same pair.
 *
 * <pre>{@code
 * report.moves().stream().filter(WhatIfMove::moved)
 *         .forEach(m -> System.out.println(m.fromModel() + " -> " + m.toModel() + ": " + m.requests()));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param fromTool    the recorded tool
 * @param fromModel   the recorded model
 * @param toTool      the proposed tool (after any budget downgrade or move to a later candidate), or {@code
 *                    "(refused by <budget>)"} for requests a proposed budget refused
 * @param toModel     the proposed model (after any budget downgrade), empty for refused requests
 * @param requests    how many requests
 * @param recordedUsd their recorded cost
 * @param proposedUsd their proposed cost
 */
public record WhatIfMove(String fromTool, String fromModel, String toTool, String toModel, long requests,
                         BigDecimal recordedUsd, BigDecimal proposedUsd) {
    public WhatIfMove {
        Objects.requireNonNull(fromTool, "fromTool");
        Objects.requireNonNull(fromModel, "fromModel");
        Objects.requireNonNull(toTool, "toTool");
        Objects.requireNonNull(toModel, "toModel");
        Objects.requireNonNull(recordedUsd, "recordedUsd");
        Objects.requireNonNull(proposedUsd, "proposedUsd");
    }

    /** Whether the tool or the model changed. */
    public boolean moved() {
        return !fromTool.equals(toTool) || !fromModel.equals(toModel);
    }
}
