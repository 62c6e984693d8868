package io.llmservice.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A tool ({@code tools:} in YAML): which adapter runs it and, for the generic {@code cli}
 * adapter, how to start the binary and read its output.
 *
 * @param name           the tool's configured name, e.g. {@code claude-code}
 * @param type           the adapter provider's {@code type()}, {@code cli} for the generic adapter
 * @param binary         the binary's name (looked up on {@code PATH}) or a path
 * @param binaryByOs     per-OS overrides of {@code binary}
 * @param args           argument template; placeholders {@code {model}}, {@code {prompt}},
 *                       {@code {prompt_file}}, {@code {workdir}} each fill exactly one element
 * @param prompt         how the prompt reaches the tool
 * @param env            environment entries given to the child (values already expanded)
 * @param models         catalogue model id to the value substituted for {@code {model}}
 * @param output         how to read the output
 * @param timeout        the default timeout of one invocation
 * @param retriableWhen  output substrings (case-insensitive) that make a failure retriable
 * @param versionArgs    arguments that make the binary print its version
 * @param maxOutputBytes cap on captured bytes per stream
 * @param options        provider-specific settings for adapters other than {@code cli}
 * @param leaveDescendants whether processes the tool starts and leaves running when it exits
 *                       stay alive ({@code leave_descendants: true}); by default they are killed
 */
public record ToolDefinition(String name, String type, String binary, Map<OsFamily, String> binaryByOs,
                             List<String> args, PromptMode prompt, Map<String, String> env,
                             Map<String, String> models, OutputSpec output, Duration timeout,
                             List<String> retriableWhen, List<String> versionArgs, long maxOutputBytes,
                             Map<String, String> options, boolean leaveDescendants) {

    /** Default timeout of one invocation when YAML gives none. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    /** Default cap on captured output per stream: 16 MiB. */
    public static final long DEFAULT_MAX_OUTPUT_BYTES = 16L * 1024 * 1024;

    public ToolDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(binary, "binary");
        binaryByOs = Map.copyOf(binaryByOs);
        args = List.copyOf(args);
        Objects.requireNonNull(prompt, "prompt");
        env = Map.copyOf(env);
        models = Map.copyOf(models);
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(timeout, "timeout");
        retriableWhen = List.copyOf(retriableWhen);
        versionArgs = List.copyOf(versionArgs);
        options = Map.copyOf(options);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("tools." + name + ".timeout must be positive, was " + timeout);
        }
        if (maxOutputBytes <= 0) {
            throw new IllegalArgumentException("tools." + name + ".max_output_bytes must be > 0, was " + maxOutputBytes);
        }
    }

    /** Whether this tool can run the catalogue model. */
    public boolean supports(String modelId) {
        return models.containsKey(modelId);
    }

    /** The value for {@code {model}} of a catalogue model, when supported. */
    public Optional<String> toolModelName(String modelId) {
        return Optional.ofNullable(models.get(modelId));
    }

    /** The binary for the given OS: its {@code binary_by_os} entry, else {@code binary}. */
    public String binaryFor(OsFamily os) {
        return binaryByOs.getOrDefault(os, binary);
    }
}
