package io.llmservice.spi;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What {@link TelemetryStore#copyTo} copied (or, in a dry run, would copy).
 *
 * <pre>{@code
 * StoreCopyReport r = source.copyTo(target, StoreCopyOptions.builder().build());
 * System.out.println(r.recordsCopied() + " of " + r.sourceRecords() + " records copied, $"
 *         + r.spendAddedUsd() + " of spend added");
 * }</pre>
 *
 * @param sourceId              the source store's id, under which the target remembers what it imported
 * @param sourceRecords         invocation records (attempts) in the source
 * @param recordsCopied         records written to the target by this run (0 in a dry run)
 * @param recordsAlreadyThere   records of the source the target held before this run
 * @param periods               budget periods of the source
 * @param spendAddedUsd         spend added to the target's budget periods by this run (in a dry run: that would be)
 * @param reservationsCopied    closed reservations (history) written to the target by this run (in a dry run: that would be)
 * @param liveReservations      reservations of running calls in the source, not copied
 * @param dryRun                whether nothing was written
 */
public record StoreCopyReport(String sourceId, long sourceRecords, long recordsCopied, long recordsAlreadyThere,
                              long periods, BigDecimal spendAddedUsd, long reservationsCopied, long liveReservations,
                              boolean dryRun) {
    public StoreCopyReport {
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(spendAddedUsd, "spendAddedUsd");
    }
}
