package io.llmservice.config;

import java.util.Objects;

/**
 * A private settings file the adapter writes for a tool that can only be configured through one
 * ({@code settings_file:} in YAML): {@code content} is written as JSON to a file of its own per
 * tool under the data directory (file 0600, directory 0700 where the file system has POSIX
 * permissions), and the child's environment variable {@code env} is set to its path. The user's
 * own settings files are not touched.
 *
 * <pre>{@code
 * SettingsFile gemini = new SettingsFile("GEMINI_CLI_SYSTEM_SETTINGS_PATH",
 *         "{\"general\":{\"maxAttempts\":1}}");
 * ToolDefinition tool = ToolDefinition.builder().name("gemini-cli").binary("gemini").settingsFile(gemini).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param env  the environment variable that tells the tool where its settings file is
 * @param json the file's content, one JSON object
 */
public record SettingsFile(String env, String json) {
    public SettingsFile {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(json, "json");
        if (env.isBlank()) {
            throw new IllegalArgumentException("settings_file.env must name an environment variable, was blank");
        }
    }

    /** Names the variable only: settings may hold values the user does not want in logs. */
    @Override
    public String toString() {
        return "SettingsFile{env=" + env + "}";
    }
}
