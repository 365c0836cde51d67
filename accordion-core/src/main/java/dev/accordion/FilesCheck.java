package dev.accordion;

import dev.accordion.migration.Migration;
import dev.accordion.migration.MigrationFingerprint;
import dev.accordion.spi.MigrationRecord;
import dev.accordion.spi.MigrationStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Compares migration files with a schema's history; the one place that decides drift and file order. */
final class FilesCheck {

    private FilesCheck() {
    }

    /**
     * The migrations whose file a directory should still hold as it was applied: active or complete, not a baseline.
     * An interrupted start is not applied yet: its file may still change (start decides what that means).
     */
    static boolean isApplied(MigrationRecord record) {
        return !record.baseline() && (record.status() == MigrationStatus.ACTIVE || record.status() == MigrationStatus.COMPLETING
                || record.status() == MigrationStatus.COMPLETE);
    }

    /** The applied migration started last; a new migration's name must sort after it. */
    static Optional<String> latestApplied(List<MigrationRecord> history) {
        return history.stream().filter(FilesCheck::isApplied).map(MigrationRecord::name).reduce((a, b) -> b);
    }

    static FilesReport of(List<MigrationRecord> history, List<Migration> files) {
        List<FilesReport.Drift> drifted = new ArrayList<>();
        for (Migration file : files) {
            history.stream().filter(FilesCheck::isApplied).filter(r -> r.name().equals(file.name())).findFirst().ifPresent(record -> {
                MigrationFingerprint recorded = MigrationFingerprint.of(record.migration());
                MigrationFingerprint now = MigrationFingerprint.of(file);
                if (!recorded.checksum().equals(now.checksum())) {
                    drifted.add(new FilesReport.Drift(file.name(), recorded.checksum(), now.checksum(),
                            MigrationFingerprint.differences(record.migration(), file)));
                }
            });
        }
        Set<String> applied = history.stream().filter(r -> r.baseline() || isApplied(r)).map(MigrationRecord::name)
                .collect(Collectors.toSet());
        List<String> pending = files.stream().map(Migration::name).filter(name -> !applied.contains(name)).toList();
        Optional<String> latest = latestApplied(history);
        List<String> outOfOrder = pending.stream().filter(name -> latest.isPresent() && name.compareTo(latest.get()) < 0).toList();
        Set<String> fileNames = files.stream().map(Migration::name).collect(Collectors.toSet());
        List<String> missing = history.stream().filter(FilesCheck::isApplied).map(MigrationRecord::name)
                .filter(name -> !fileNames.contains(name)).toList();
        return new FilesReport(drifted, pending, outOfOrder, missing, latest);
    }

    /** Drift as an operator reads it: which files, both checksums, and what differs in each. */
    static String describe(List<FilesReport.Drift> drifted) {
        StringBuilder text = new StringBuilder(drifted.size() == 1
                ? "the file of 1 applied migration was edited after it was applied (drift):"
                : "the files of " + drifted.size() + " applied migrations were edited after they were applied (drift):");
        for (FilesReport.Drift drift : drifted) {
            text.append("\n  ").append(drift.migration()).append(": checksum ").append(drift.recordedChecksum(), 0, 12)
                    .append(" when applied, ").append(drift.fileChecksum(), 0, 12).append(" now");
            drift.differences().forEach(line -> text.append("\n    ").append(line));
        }
        return text.toString();
    }
}
