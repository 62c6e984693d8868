package io.llmservice.benchmarks;

import io.llmservice.Usage;
import io.llmservice.config.ToolDefinition;
import io.llmservice.spi.AdapterContext;
import io.llmservice.spi.Availability;
import io.llmservice.spi.ToolAdapter;
import io.llmservice.spi.ToolAdapterProvider;
import io.llmservice.spi.ToolInvocation;
import io.llmservice.spi.ToolResult;


/**
 * {@code type: stub}: an in-process adapter that answers at once, so a benchmark measures only
 * the library's own overhead. Registered in {@code META-INF/services}.
 */
public final class StubToolAdapterProvider implements ToolAdapterProvider {
    static final String TYPE = "stub";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ToolAdapter create(ToolDefinition tool, AdapterContext context) {
        ToolResult answer = ToolResult.builder("STUB-OK").usage(Usage.of(123, 45, 0, 0)).build();
        return new ToolAdapter() {
            @Override
            public Availability availability() {
                return Availability.available("in-process stub");
            }

            @Override
            public ToolResult invoke(ToolInvocation invocation) {
                return answer;
            }
        };
    }
}
