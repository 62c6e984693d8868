package io.llmservice.spi;

import java.util.Objects;

/**
 * How {@link TelemetryStore#copyTo} copies one store into another: for real or as a dry run, whether
 * live reservations in the source are copied past, how many invocation records go per batch, and who
 * hears of progress.
 *
 * <pre>{@code
 * StoreCopyOptions options = StoreCopyOptions.builder()
 *         .dryRun(false)
 *         .progress((done, total) -> System.err.printf("%d / %d records%n", done, total))
 *         .build();
 * StoreCopyReport report = h2Store.copyTo(postgresStore, options);
 * }</pre>
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @param dryRun    count what would be copied; write nothing to either store
 * @param force     copy although the source holds live reservations (agents still running on it):
 *                  their calls' spend reaches the target only when the copy is run again after they end;
 *                  and although it holds less spend in a period than an earlier copy took from it
 *                  (restored from an older backup): that period's spend at the target is kept, never lowered
 * @param batchSize invocation records read and written per transaction, 1..100,000; default {@value #DEFAULT_BATCH_SIZE}
 * @param progress  told after each batch how many records have been copied or found already there
 */
public record StoreCopyOptions(boolean dryRun, boolean force, int batchSize, Progress progress) {
    /** Default {@code batchSize}. */
    public static final int DEFAULT_BATCH_SIZE = 2_000;

    /** Hears of progress; called on the copying thread. */
    @FunctionalInterface
    public interface Progress {
        /** {@code done} of {@code total} invocation records are at the target. */
        void records(long done, long total);
    }

    public StoreCopyOptions {
        Objects.requireNonNull(progress, "progress");
        if (batchSize < 1 || batchSize > 100_000) {
            throw new IllegalArgumentException("StoreCopyOptions.batchSize must be in 1..100000, was " + batchSize);
        }
    }

    /** A builder with the defaults: a real copy, refusing live reservations, no progress listener. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link StoreCopyOptions}; see there for the defaults. Not thread-safe. */
    public static final class Builder {
        private boolean dryRun;
        private boolean force;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Progress progress = (done, total) -> { };

        private Builder() {
        }

        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        public Builder force(boolean force) {
            this.force = force;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder progress(Progress progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        public StoreCopyOptions build() {
            return new StoreCopyOptions(dryRun, force, batchSize, progress);
        }
    }
}
