package io.llmservice;

import java.util.Objects;

/**
 * One tool + model pair the router considered, with its verdict and the reason for it.
 *
 * <pre>{@code
 * RoutePlan plan = llm.route(request).plan();
 * for (Candidate c : plan.candidates()) {
 *     System.out.println(c);   // claude-code/claude-sonnet-4-5 chosen: agent's preferred tool and model
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param tool   tool name as configured
 * @param model  catalogue model id
 * @param status chosen, fallback (will run if the ones before it fail) or excluded
 * @param reason human-readable why, e.g. {@code "agent's preferred tool and model"} or
 *               {@code "not installed: 'codex' not found on PATH"}
 */
public record Candidate(String tool, String model, Status status, String reason) {

    /** The router's verdict on a candidate. */
    public enum Status { CHOSEN, FALLBACK, EXCLUDED }

    public Candidate {
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
    }

    public boolean runnable() {
        return status != Status.EXCLUDED;
    }

    @Override
    public String toString() {
        return tool + "/" + model + " " + status.name().toLowerCase(java.util.Locale.ROOT) + ": " + reason;
    }
}
