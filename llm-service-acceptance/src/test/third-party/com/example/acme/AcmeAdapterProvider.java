package com.example.acme;

import io.llmservice.Usage;
import io.llmservice.config.ToolDefinition;
import io.llmservice.spi.AdapterContext;
import io.llmservice.spi.Availability;
import io.llmservice.spi.ToolAdapter;
import io.llmservice.spi.ToolAdapterProvider;
import io.llmservice.spi.ToolInvocation;
import io.llmservice.spi.ToolResult;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * A third-party adapter, written the way an adapter author outside this project writes one: it
 * sees only llm-service-api. ThirdPartyAdapterIT (in this module) compiles it against the API alone and runs it
 * through LlmService; it is not part of the build otherwise.
 */
public final class AcmeAdapterProvider implements ToolAdapterProvider {

    @Override
    public String type() {
        return "acme";
    }

    @Override
    public ToolAdapter create(ToolDefinition tool, AdapterContext context) {
        String greeting = tool.options().getOrDefault("greeting", "");
        return new ToolAdapter() {
            @Override
            public Availability availability() {
                return Availability.available("in-process acme");
            }

            @Override
            public ToolResult invoke(ToolInvocation inv) {
                String answer = greeting + inv.prompt().toUpperCase(Locale.ROOT);
                return ToolResult.builder(answer)
                        .usage(Usage.of(inv.prompt().length(), answer.length(), 0, 0))
                        .reportedCostUsd(new BigDecimal("0.0042"))
                        .reportedModel(inv.toolModelName() + "-2026-01")
                        .warning("acme: usage is counted in characters")
                        .build();
            }
        };
    }
}
