package dev.accordion.cli;

import dev.accordion.spi.IndexUse;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An index a migration's complete drops, with the scans the server counted since its statistics were last reset (and the
 * last scan, PostgreSQL 16+): {@code plan} and {@code validate} show them so that no one drops an index queries use.
 */
record DroppedIndexDocument(String index, long scans, String lastScan) {

    static DroppedIndexDocument of(IndexUse use) {
        return new DroppedIndexDocument(use.index(), use.scans(), use.lastScan().map(Instant::toString).orElse(null));
    }

    /** {@code complete drops index "items_sku": scanned 12 times since the statistics were reset, last at …}, a line each. */
    static String lines(List<IndexUse> uses) {
        return uses.stream().map(use -> "complete drops index \"" + use.index() + "\": scanned " + use.scans()
                        + (use.scans() == 1 ? " time" : " times") + " since the server's statistics were reset"
                        + use.lastScan().map(last -> ", last at " + last).orElse("")
                        + (use.scans() > 0 ? "; complete refuses while queries still scan it" : ""))
                .collect(Collectors.joining("\n"));
    }
}
