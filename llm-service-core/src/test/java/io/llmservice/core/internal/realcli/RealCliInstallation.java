package io.llmservice.core.internal.realcli;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@code .ci/install-real-clis.sh} put the real CLIs: the system property
 * {@code llm.service.real-cli.dir}, else the environment variable {@code LLM_SERVICE_REAL_CLI_DIR},
 * else {@code target/real-cli} of the repository. A missing binary skips the test, saying how
 * to install it: the script installs nothing when npm is absent.
 */
final class RealCliInstallation {

    private RealCliInstallation() {
    }

    static Path directory() {
        String dir = System.getProperty("llm.service.real-cli.dir", System.getenv("LLM_SERVICE_REAL_CLI_DIR"));
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir).toAbsolutePath();
        }
        // Failsafe runs in the module's directory; the script's default is the repository's target/.
        return Path.of("..", "target", "real-cli").toAbsolutePath().normalize();
    }

    /** The npm-installed {@code name} (claude, codex, gemini), or the test is skipped. */
    static Path binary(String name) {
        Path binary = directory().resolve("node_modules").resolve(".bin").resolve(name);
        Assumptions.assumeTrue(Files.isExecutable(binary), () -> "real " + name + " not installed at " + binary
                + ": run .ci/install-real-clis.sh (needs npm) or set LLM_SERVICE_REAL_CLI_DIR; skipping");
        return binary;
    }
}
