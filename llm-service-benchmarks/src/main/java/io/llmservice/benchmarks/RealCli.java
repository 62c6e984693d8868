package io.llmservice.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One real coding-agent CLI as {@link RealCliBenchmark} runs it: which npm binary, which built-in
 * tool and catalogue model, which vendor API it talks to, what a user has set up to run it
 * against that API (key, base URL, the CLI's own settings in the home directory), the command
 * line its own documentation shows, and where that command prints the answer.
 *
 * <pre>{@code
 * RealCli cli = RealCli.CLAUDE;
 * cli.prepareHome(home, api.baseUrl(), workdir);
 * List<String> argv = cli.docsArgv(binary, "Say hi");   // claude -p "Say hi" --output-format json --model ...
 * }</pre>
 *
 * <p>Immutable.
 */
enum RealCli {
    /** Claude Code: the base URL and the key are environment variables. */
    CLAUDE("claude", "claude-code", "claude-sonnet-4-5", VendorApiStub.Vendor.ANTHROPIC) {
        @Override
        Map<String, String> userEnvironment(String apiBaseUrl) {
            return Map.of("ANTHROPIC_API_KEY", "sk-ant-bench-key", "ANTHROPIC_BASE_URL", apiBaseUrl);
        }

        @Override
        List<String> docsArgv(Path binary, String prompt) {
            return List.of(binary.toString(), "-p", prompt, "--output-format", "json", "--model", model());
        }

        @Override
        Optional<String> docsAnswer(String stdout) {
            return text(json(stdout).path("result"));
        }
    },

    /**
     * codex: the key is an environment variable; another endpoint is a model provider in
     * {@code ~/.codex/config.toml} (codex 0.171 ignores {@code OPENAI_BASE_URL}, and its built-in
     * provider opens a Responses WebSocket first, which a custom provider does not).
     */
    CODEX("codex", "codex", "gpt-5-codex", VendorApiStub.Vendor.OPENAI) {
        @Override
        Map<String, String> userEnvironment(String apiBaseUrl) {
            return Map.of("OPENAI_API_KEY", "sk-bench-key");
        }

        @Override
        void prepareHome(Path home, String apiBaseUrl, Path workdir) throws IOException {
            Files.writeString(Files.createDirectories(home.resolve(".codex")).resolve("config.toml"), """
                    model_provider = "bench"

                    [model_providers.bench]
                    name = "bench"
                    base_url = "%s/v1"
                    env_key = "OPENAI_API_KEY"
                    wire_api = "responses"
                    """.formatted(apiBaseUrl));
        }

        /**
         * The built-in names a model provider of its own (its retry and idle-timeout settings),
         * which overrides {@code ~/.codex/config.toml}: it is pointed at the stub through its
         * {@code options:}, as docs/tools/codex.md shows for another provider.
         */
        @Override
        String toolOptions(String apiBaseUrl) {
            return "{base_url: \"%s/v1\", env_key: OPENAI_API_KEY}".formatted(apiBaseUrl);
        }

        @Override
        List<String> docsArgv(Path binary, String prompt) {
            return List.of(binary.toString(), "exec", "--json", "--model", model(), prompt);
        }

        @Override
        Optional<String> docsAnswer(String stdout) {
            List<String> texts = new ArrayList<>();
            for (String line : stdout.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode event = json(line);
                if (event.path("type").asText().equals("item.completed")
                        && event.path("item").path("type").asText().equals("agent_message")) {
                    texts.add(event.path("item").path("text").asText());
                }
            }
            return texts.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", texts));
        }
    },

    /**
     * gemini-cli: the key and base URL are environment variables; API-key sign-in and the
     * trusted working directory are what a user's {@code ~/.gemini} holds after the first
     * interactive run (without them headless gemini exits 41 and 55).
     */
    GEMINI("gemini", "gemini-cli", "gemini-2.5-pro", VendorApiStub.Vendor.GOOGLE) {
        @Override
        Map<String, String> userEnvironment(String apiBaseUrl) {
            return Map.of("GEMINI_API_KEY", "bench-gemini-key", "GOOGLE_GEMINI_BASE_URL", apiBaseUrl);
        }

        @Override
        void prepareHome(Path home, String apiBaseUrl, Path workdir) throws IOException {
            Path gemini = Files.createDirectories(home.resolve(".gemini"));
            Files.writeString(gemini.resolve("settings.json"), "{\"security\":{\"auth\":{\"selectedType\":\"gemini-api-key\"}}}");
            Files.writeString(gemini.resolve("trustedFolders.json"),
                    MAPPER.writeValueAsString(Map.of(workdir.toString(), "TRUST_FOLDER")));
        }

        @Override
        List<String> docsArgv(Path binary, String prompt) {
            return List.of(binary.toString(), "-p", prompt, "--output-format", "json", "--model", model());
        }

        @Override
        Optional<String> docsAnswer(String stdout) {
            return text(json(stdout).path("response"));
        }
    };

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String binaryName;
    private final String toolName;
    private final String model;
    private final VendorApiStub.Vendor vendor;

    RealCli(String binaryName, String toolName, String model, VendorApiStub.Vendor vendor) {
        this.binaryName = binaryName;
        this.toolName = toolName;
        this.model = model;
        this.vendor = vendor;
    }

    /** The CLI for a binary name: claude, codex, gemini. */
    static RealCli named(String binaryName) {
        for (RealCli cli : values()) {
            if (cli.binaryName.equals(binaryName)) {
                return cli;
            }
        }
        throw new IllegalArgumentException("unknown real CLI '" + binaryName + "': use claude, codex or gemini");
    }

    /** The npm binary's name under {@code node_modules/.bin}. */
    String binaryName() {
        return binaryName;
    }

    /** The built-in tool definition's name. */
    String toolName() {
        return toolName;
    }

    /** The catalogue model both ways ask for. */
    String model() {
        return model;
    }

    VendorApiStub.Vendor vendor() {
        return vendor;
    }

    /** The variables a user exports to run this CLI against {@code apiBaseUrl}: key and base URL only. */
    abstract Map<String, String> userEnvironment(String apiBaseUrl);

    /** The CLI's own settings a user has in their home directory, if it needs any. */
    void prepareHome(Path home, String apiBaseUrl, Path workdir) throws IOException {
    }

    /**
     * The {@code options:} (a YAML flow mapping) the benchmark's tool definition gives the
     * built-in so that it talks to the stub at {@code apiBaseUrl}; empty when the user's
     * environment already does.
     */
    String toolOptions(String apiBaseUrl) {
        return "";
    }

    /** The command line the CLI's documentation shows for one non-interactive call. */
    abstract List<String> docsArgv(Path binary, String prompt);

    /** The answer text in what {@link #docsArgv} printed, if it printed one. */
    abstract Optional<String> docsAnswer(String stdout);

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("the CLI's output is not JSON", e);
        }
    }

    private static Optional<String> text(JsonNode node) {
        return node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
    }
}
