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
import java.util.List;

/** The generic CLI adapter keeps the contract of every adapter, with {@link FakeCli} as a plain text tool. */
class CliToolAdapterContractIT extends AbstractToolAdapterContractTest {

    @TempDir
    Path dir;

    private ToolAdapter adapterFor(FakeCli fake) {
        ToolDefinition tool = ToolDefinition.builder().name("fake").binary(fake.binary().toString())
                .args(List.of("--model", "{model}")).model("test-model", "test-model").build();
        return new CliToolAdapterProvider().create(tool, new AdapterContext(Clock.systemUTC(), System.getenv(), Os.current(), Ticker.system()));
    }

    @Override
    protected ToolAdapter createAdapter() {
        return adapterFor(FakeCli.builder().stdout("OK").build(dir));
    }

    @Override
    protected ToolAdapter createSlowAdapter() {
        return adapterFor(FakeCli.builder().delay(Duration.ofSeconds(120)).stdout("late").build(dir));
    }

    @Override
    protected ToolAdapter createAdapterFailingRetriably() {
        return adapterFor(FakeCli.builder().stderr("Error: the model is overloaded, try again later\n").exitCode(1)
                .build(dir));
    }

    @Override
    protected ToolAdapter createAdapterFailingPermanently() {
        return adapterFor(FakeCli.builder().stderr("error: no space left on device\n").exitCode(3).build(dir));
    }
}
