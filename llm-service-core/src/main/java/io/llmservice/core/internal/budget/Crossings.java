package io.llmservice.core.internal.budget;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which warning levels this process has already reported for a budget, per period, so a level
 * crossed again in the same period (after a release brought the committed amount back below it)
 * is not reported twice. Keeps only the periods it was last asked about, so memory stays constant.
 * Thread-safe.
 */
final class Crossings {
    enum Level { WARN_AT, LIMIT }

    private final Map<String, Set<Level>> reported = new ConcurrentHashMap<>();

    /** True exactly once per period key and level. */
    boolean firstTime(String periodKey, Level level) {
        if (!reported.containsKey(periodKey)) {
            // A new period began: forget the older ones (a call still settling in the previous
            // period may add it back, which is harmless).
            reported.keySet().removeIf(k -> !k.equals(periodKey));
        }
        Set<Level> levels = reported.computeIfAbsent(periodKey, k -> EnumSet.noneOf(Level.class));
        synchronized (levels) {
            return levels.add(level);
        }
    }
}
