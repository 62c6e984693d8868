package io.llmservice.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One invocation of a tool, as the pipeline hands it to a {@link ToolAdapter}.
 *
 * <pre>{@code
 * // in a ToolAdapter
 * public ToolResult invoke(ToolInvocation inv) {
 *     Path dir = inv.workingDirectory().orElse(Path.of(""));
 *     String answer = acme.ask(inv.toolModelName(), inv.prompt(), dir, inv.timeout());
 *     return ToolResult.builder(answer).build();
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param requestId        the request's id
 * @param attempt          the attempt number, from 1
 * @param prompt           the prompt, to be passed byte-exact
 * @param modelId          the catalogue model id
 * @param toolModelName    the tool's own name for the model (the value of {@code {model}})
 * @param timeout          the deadline for the whole invocation
 * @param workingDirectory the directory to run in; empty means the JVM's working directory
 * @param cancellation     signals a cancelled call
 */
public record ToolInvocation(String requestId, int attempt, String prompt, String modelId, String toolModelName,
                             Duration timeout, Optional<Path> workingDirectory, CancellationSignal cancellation) {
    public ToolInvocation {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(toolModelName, "toolModelName");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(cancellation, "cancellation");
    }

    @Override
    public String toString() {
        return "ToolInvocation{requestId=" + requestId + ", attempt=" + attempt + ", model=" + modelId
                + ", timeout=" + timeout + ", promptChars=" + prompt.length() + "}";
    }
}
