package io.llmservice;

/**
 * Where a cost figure came from.
 *
 * <pre>{@code
 * LlmResponse r = llm.route(request).execute();
 * if (r.costSource() == CostSource.UNKNOWN) {
 *     System.err.println("no cost known for " + r.requestId() + ": the tool reported neither cost nor usage");
 * }
 * }</pre>
 */
public enum CostSource {
    /** The tool reported its own cost (Claude Code's {@code total_cost_usd}). */
    TOOL_REPORTED,
    /** Usage multiplied by the model's list price, cache reads and writes priced separately. */
    COMPUTED,
    /** Neither was possible: the tool reported no cost and usage is unknown. */
    UNKNOWN
}
