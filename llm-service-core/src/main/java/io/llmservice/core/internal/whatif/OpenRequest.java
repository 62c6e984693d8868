package io.llmservice.core.internal.whatif;

import io.llmservice.Outcome;
import io.llmservice.Usage;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.RouteInput;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * The records of one request seen so far, folded as they stream in: only what the replay needs
 * (a few fields, not the records).
 */
final class OpenRequest {
    final String requestId;
    final String agent;
    final Optional<String> team;
    final Instant startedAt;
    Optional<RouteInput> routeInput = Optional.empty();
    boolean lacksRouteInput;
    BigDecimal recordedUsd = BigDecimal.ZERO;
    /** The answering attempt's tool, model and usage; else the last attempt's tool and model. */
    String tool = "";
    String model = "";
    Usage usage = Usage.unknown();
    /** The answering attempt's own recorded cost, when it answered and its cost is known. */
    Optional<BigDecimal> answerUsd = Optional.empty();
    boolean answered;
    /** When its latest attempt ended: a request with no answer counts as over some time after it. */
    Instant lastEnded;

    OpenRequest(InvocationRecord first) {
        this.requestId = first.requestId();
        this.agent = first.agent();
        this.team = first.team();
        this.startedAt = first.startedAt();
        this.lastEnded = first.startedAt();
    }

    void add(InvocationRecord r) {
        if (r.routeInput().isPresent()) {
            if (routeInput.isEmpty()) {
                routeInput = r.routeInput();
            }
        } else {
            lacksRouteInput = true;
        }
        recordedUsd = recordedUsd.add(r.costUsd().orElse(BigDecimal.ZERO));
        Instant ended = r.startedAt().plus(r.latency());
        if (ended.isAfter(lastEnded)) {
            lastEnded = ended;
        }
        if (answered) {
            return;
        }
        if (!r.tool().isEmpty()) {
            tool = r.tool();
            model = r.model();
        }
        if (r.outcome() == Outcome.SUCCESS) {
            answered = true;
            usage = r.usage();
            answerUsd = r.costUsd();
        }
    }
}
