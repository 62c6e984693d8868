package io.llmservice.core.internal.adapter;

import io.llmservice.Ticker;
import io.llmservice.config.ToolDefinition;
import io.llmservice.core.internal.exec.Os;
import io.llmservice.spi.AdapterContext;
import io.llmservice.spi.ToolAdapter;
import io.llmservice.testkit.AbstractToolAdapterContractTest;
import io.llmservice.testkit.FakeCli;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The adapter contract for one built-in tool definition, exactly as core ships it, with a
 * {@link FakeCli} in place of the vendor's binary that answers like the real one (captured
 * outputs from {@code src/test/resources/real-cli}, or the tool's own wording of a failure).
 */
abstract class BuiltinToolContract extends AbstractToolAdapterContractTest {

    @TempDir
    Path dir;

    /** The built-in tool's name in the catalogue. */
    abstract String toolName();

    /** The vendor's binary name, so the fake is named like the real one. */
    abstract String binaryName();

    /** A successful answer, as the real tool prints it on stdout. */
    abstract String answer();

    /** The fake as the real tool fails on transient vendor trouble (overloaded, rate limited). */
    abstract FakeCli.Builder failingRetriably(FakeCli.Builder fake);

    /** The fake as the real tool fails when its credentials are rejected. */
    abstract FakeCli.Builder failingPermanently(FakeCli.Builder fake);

    private ToolAdapter adapterFor(FakeCli.Builder fake) {
        FakeCli cli = fake.name(binaryName()).build(dir);
        ToolDefinition t = BuiltinTools.tool(toolName());
        ToolDefinition tool = t.toBuilder().binary(cli.binary().toString()).binaryByOs(Map.of()).env(Map.of()).build();
        return new CliToolAdapterProvider().create(tool,
                new AdapterContext(Clock.systemUTC(), testEnvironment(), Os.current(), Ticker.system()));
    }

    @Override
    protected ToolAdapter createAdapter() {
        return adapterFor(FakeCli.builder().stdout(answer()));
    }

    @Override
    protected ToolAdapter createSlowAdapter() {
        return adapterFor(FakeCli.builder().delay(Duration.ofSeconds(120)).stdout(answer()));
    }

    @Override
    protected ToolAdapter createAdapterFailingRetriably() {
        return adapterFor(failingRetriably(FakeCli.builder()));
    }

    @Override
    protected ToolAdapter createAdapterFailingPermanently() {
        return adapterFor(failingPermanently(FakeCli.builder()));
    }

    /** The environment, with the data directory (where a settings_file goes) in a temporary directory. */
    private static Map<String, String> testEnvironment() {
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        try {
            env.put("XDG_DATA_HOME", java.nio.file.Files.createTempDirectory("llm-service-contract-data").toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return env;
    }
}
