package io.llmservice.core.internal.whatif;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * One replayed request: what it was recorded as, what the proposed routing chose (its first candidate),
 * and where it ended after the proposed budgets.
 *
 * @param requestId    the recorded request id
 * @param startedAt    when its first record started
 * @param agent        the recorded agent
 * @param chosenTool   the proposed routing's first candidate's tool
 * @param chosenModel  the proposed routing's first candidate's model
 * @param finalTool    the tool it ran on after the proposed budgets (another candidate's when a downgrade
 *                     budget moved it on; the last candidate tried when refused)
 * @param finalModel   the model it ran on after a budget downgrade or move (the chosen one when none)
 * @param refusedBy    the proposed budget that refused it, if one did (it then costs nothing)
 * @param recordedUsd  the recorded cost
 * @param proposedUsd  the proposed cost
 * @param repriced     whether the proposed cost is the answering attempt's cost on its final model (its
 *                     tokens at that model's prices, or its recorded cost when it stayed on its recorded
 *                     tool, model and prices); false: no usage to re-price (the recorded cost carried over),
 *                     or refused
 */
public record Decision(String requestId, Instant startedAt, String agent, String chosenTool, String chosenModel,
                       String finalTool, String finalModel, Optional<String> refusedBy, BigDecimal recordedUsd, BigDecimal proposedUsd,
                       boolean repriced) {
}
