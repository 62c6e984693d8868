package io.llmservice.core.internal;

import io.llmservice.CallCancelledException;
import io.llmservice.LlmServiceException;
import io.llmservice.Usage;
import io.llmservice.config.ToolDefinition;
import io.llmservice.spi.AdapterContext;
import io.llmservice.spi.Availability;
import io.llmservice.spi.ToolAdapter;
import io.llmservice.spi.ToolAdapterProvider;
import io.llmservice.spi.ToolInvocation;
import io.llmservice.spi.ToolResult;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * An in-process adapter whose behaviour per tool is scripted by the test: answer, throw, or
 * block until cancelled. Records every invocation.
 */
final class ScriptedAdapter implements ToolAdapter {
    static final String TYPE = "scripted";

    /** Scripts shared by every adapter a provider creates, keyed by tool name. */
    static final class Scripts {
        final Map<String, Function<ToolInvocation, ToolResult>> behaviour = new ConcurrentHashMap<>();
        final Map<String, Boolean> installed = new ConcurrentHashMap<>();
        final List<ToolInvocation> invocations = new CopyOnWriteArrayList<>();

        Scripts answer(String tool, String text, Usage usage, BigDecimal reportedCost) {
            behaviour.put(tool, inv -> ToolResult.builder(text).usage(usage)
                    .reportedCostUsd(Optional.ofNullable(reportedCost)).build());
            return this;
        }

        Scripts fail(String tool, LlmServiceException e) {
            behaviour.put(tool, inv -> {
                throw e;
            });
            return this;
        }

        /** Blocks until the invocation is cancelled; counts down {@code started} when it begins. */
        Scripts blockUntilCancelled(String tool, CountDownLatch started) {
            behaviour.put(tool, inv -> {
                CountDownLatch cancelled = new CountDownLatch(1);
                try (AutoCloseable ignored = inv.cancellation().onCancel(cancelled::countDown)) {
                    started.countDown();
                    cancelled.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                throw new CallCancelledException("cancelled while running " + tool);
            });
            return this;
        }

        Scripts notInstalled(String tool) {
            installed.put(tool, false);
            return this;
        }

        ToolAdapterProvider provider() {
            Scripts scripts = this;
            return new ToolAdapterProvider() {
                @Override
                public String type() {
                    return TYPE;
                }

                @Override
                public ToolAdapter create(ToolDefinition tool, AdapterContext context) {
                    return new ScriptedAdapter(tool.name(), scripts);
                }
            };
        }
    }

    private final String tool;
    private final Scripts scripts;

    private ScriptedAdapter(String tool, Scripts scripts) {
        this.tool = tool;
        this.scripts = scripts;
    }

    @Override
    public Availability availability() {
        return scripts.installed.getOrDefault(tool, true) ? Availability.available("in-process")
                : Availability.missing("'" + tool + "' not found on PATH");
    }

    @Override
    public ToolResult invoke(ToolInvocation invocation) {
        scripts.invocations.add(invocation);
        Function<ToolInvocation, ToolResult> f = scripts.behaviour.get(tool);
        if (f == null) {
            throw new IllegalStateException("no script for tool " + tool);
        }
        return f.apply(invocation);
    }
}
