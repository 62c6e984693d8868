package io.llmservice.core.internal.config;

import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.parser.Parser;

import java.util.Optional;

/**
 * A parser decorator that refuses collections nested deeper than a limit. snakeyaml-engine
 * 2.9 has no nesting limit and its composer recurses once per level, so 10,000 nested
 * brackets would end in a {@link StackOverflowError}; counting the events before the
 * composer sees them stops that early. Also remembers the last event's position, for errors
 * snakeyaml reports without one (the alias limit).
 */
final class DepthLimitedParser implements Parser {
    private final Parser delegate;
    private final int maxDepth;
    private int depth;
    private Optional<Mark> lastMark = Optional.empty();

    /** Thrown when the nesting limit is exceeded; caught by {@link YamlParser}. */
    static final class NestingTooDeepException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Optional<Mark> mark;

        NestingTooDeepException(Optional<Mark> mark) {
            super("nesting too deep", null, false, false);
            this.mark = mark;
        }

        Optional<Mark> mark() {
            return mark;
        }
    }

    DepthLimitedParser(Parser delegate, int maxDepth) {
        this.delegate = delegate;
        this.maxDepth = maxDepth;
    }

    @Override
    public boolean checkEvent(Event.ID choice) {
        return delegate.checkEvent(choice);
    }

    @Override
    public Event peekEvent() {
        return delegate.peekEvent();
    }

    @Override
    public boolean hasNext() {
        return delegate.hasNext();
    }

    @Override
    public Event next() {
        Event event = delegate.next();
        if (event.getStartMark().isPresent()) {
            lastMark = event.getStartMark();
        }
        switch (event.getEventId()) {
            case MappingStart, SequenceStart -> {
                depth++;
                if (depth > maxDepth) {
                    throw new NestingTooDeepException(event.getStartMark());
                }
            }
            case MappingEnd, SequenceEnd -> depth--;
            default -> {
                // scalars, aliases, document and stream events do not change the depth
            }
        }
        return event;
    }

    /** The position of the last event handed out. */
    Optional<Mark> lastMark() {
        return lastMark;
    }
}
