package io.llmservice.telemetry.jdbc.internal;

/** Small helpers for turning database messages into ours. Stateless. */
public final class Sql {
    private Sql() {
    }

    /** {@code s} on one line (a database message can span several), or {@code ""} for null. */
    public static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").strip();
    }
}
