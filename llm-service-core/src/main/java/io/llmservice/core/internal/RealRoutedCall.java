package io.llmservice.core.internal;

import io.llmservice.CallCancelledException;
import io.llmservice.LlmRequest;
import io.llmservice.LlmResponse;
import io.llmservice.RoutePlan;
import io.llmservice.RoutedCall;
import io.llmservice.config.AgentDefinition;
import io.llmservice.core.internal.pipeline.CallCancellation;
import io.llmservice.core.internal.pipeline.Exchange;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/** The single-use call behind {@link RoutedCall}; runs its exchange through the service's pipeline. */
final class RealRoutedCall implements RoutedCall {
    private final RealLlmService service;
    private final String requestId;
    private final LlmRequest request;
    private final AgentDefinition agent;
    private final RoutePlan plan;
    private final CallCancellation cancellation = new CallCancellation();
    private final AtomicBoolean executed = new AtomicBoolean();

    RealRoutedCall(RealLlmService service, String requestId, LlmRequest request, AgentDefinition agent,
                   RoutePlan plan) {
        this.service = service;
        this.requestId = requestId;
        this.request = request;
        this.agent = agent;
        this.plan = plan;
    }

    @Override
    public RoutePlan plan() {
        return plan;
    }

    @Override
    public LlmResponse execute() {
        markExecuted();
        return run();
    }

    @Override
    public CompletableFuture<LlmResponse> executeAsync() {
        markExecuted();
        CompletableFuture<LlmResponse> future = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                RealRoutedCall.this.cancel();
                return super.cancel(mayInterruptIfRunning);
            }
        };
        try {
            service.executor().execute(() -> {
                if (future.isDone()) {
                    return;
                }
                try {
                    future.complete(run());
                } catch (Throwable t) {
                    future.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(new io.llmservice.LlmServiceException(io.llmservice.ErrorCode.SERVICE_CLOSED,
                    "the service's executor refused the call (is the service closed?)", e));
        }
        return future;
    }

    private LlmResponse run() {
        if (cancellation.isCancelled()) {
            throw new CallCancelledException("call " + requestId + " was cancelled before it started");
        }
        service.register(this);
        try {
            Exchange ex = new Exchange(requestId, request, agent, plan, cancellation, service.clock().instant(),
                    service.ticker());
            return service.pipeline().proceed(ex);
        } finally {
            service.unregister(this);
        }
    }

    private void markExecuted() {
        if (!executed.compareAndSet(false, true)) {
            throw new IllegalStateException("call " + requestId + " was already executed; route the request again");
        }
    }

    @Override
    public void cancel() {
        cancellation.cancel();
    }

    @Override
    public boolean isCancelled() {
        return cancellation.isCancelled();
    }

    @Override
    public boolean isExecuted() {
        return executed.get();
    }

    String requestId() {
        return requestId;
    }
}
