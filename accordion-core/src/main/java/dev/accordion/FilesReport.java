package dev.accordion;

import java.util.List;
import java.util.Optional;

/**
 * How a directory of migration files stands against a schema's history: the applied files edited since they were
 * applied ({@code drifted}), the files not applied yet in the order they would run ({@code pending}), those of them
 * that sort before the latest applied migration and so can no longer run ({@code outOfOrder}), and applied migrations
 * whose file is not in the directory ({@code missing}). A baseline has no file and is none of these.
 */
public record FilesReport(List<Drift> drifted, List<String> pending, List<String> outOfOrder, List<String> missing,
                          Optional<String> latestApplied) {

    /** An applied migration whose file now says something else: both checksums and each operation that differs. */
    public record Drift(String migration, String recordedChecksum, String fileChecksum, List<String> differences) {
    }

    public FilesReport {
        drifted = List.copyOf(drifted);
        pending = List.copyOf(pending);
        outOfOrder = List.copyOf(outOfOrder);
        missing = List.copyOf(missing);
    }
}
