package io.llmservice.config;

import java.util.List;

/**
 * A private directory per call ({@code scratch_dir:} in YAML): the adapter makes a new directory
 * under the data directory for each call (0700 where the file system has POSIX permissions),
 * sets each variable of {@code env} to its path in the child's environment, and deletes it with
 * everything in it when the call ends. For a CLI that writes what it should not keep (transcripts,
 * error reports quoting the prompt) under its home or temporary directory.
 *
 * <pre>{@code
 * ScratchDir perCall = new ScratchDir(List.of("GEMINI_CLI_HOME", "TMPDIR"));
 * ToolDefinition tool = ToolDefinition.builder().name("gemini-cli").binary("gemini").scratchDir(perCall).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param env the environment variables set to the directory's path; at least one
 */
public record ScratchDir(List<String> env) {
    public ScratchDir {
        env = List.copyOf(env);
        if (env.isEmpty() || env.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("scratch_dir.env must list at least one variable name, was " + env);
        }
    }
}
