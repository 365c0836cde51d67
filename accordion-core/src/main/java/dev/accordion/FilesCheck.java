package dev.accordion;

import dev.accordion.migration.Migration;
import dev.accordion.migration.MigrationFingerprint;
import dev.accordion.migration.ReleaseFile;
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

    /**
     * The file names that a migration applied or baselined holds: a release's files count as applied, each of them.
     * {@code latestApplied} needs no such care: a release is named after its last file.
     */
    static Set<String> appliedFileNames(List<MigrationRecord> history) {
        return history.stream().filter(r -> r.baseline() || isApplied(r)).flatMap(r -> r.fileNames().stream())
                .collect(Collectors.toSet());
    }

    static FilesReport of(List<MigrationRecord> history, List<Migration> files) {
        List<FilesReport.Drift> drifted = new ArrayList<>();
        List<MigrationRecord> applied = history.stream().filter(FilesCheck::isApplied).toList();
        for (Migration file : files) {
            recordedCopyOf(applied, file.name()).ifPresent(recorded -> {
                MigrationFingerprint now = MigrationFingerprint.of(file);
                if (!recorded.checksum().equals(now.checksum())) {
                    drifted.add(new FilesReport.Drift(file.name(), recorded.checksum(), now.checksum(),
                            MigrationFingerprint.differences(recorded.file(), file)));
                }
            });
        }
        Set<String> appliedNames = appliedFileNames(history);
        List<String> pending = files.stream().map(Migration::name).filter(name -> !appliedNames.contains(name)).toList();
        Optional<String> latest = latestApplied(history);
        List<String> outOfOrder = pending.stream().filter(name -> latest.isPresent() && name.compareTo(latest.get()) < 0).toList();
        Set<String> fileNames = files.stream().map(Migration::name).collect(Collectors.toSet());
        List<String> missing = applied.stream().flatMap(r -> r.fileNames().stream())
                .filter(name -> !fileNames.contains(name)).toList();
        return new FilesReport(drifted, pending, outOfOrder, missing, latest);
    }

    /**
     * The copy of file {@code name} the history keeps: a release's record holds its files merged, so a file of a
     * release is compared with the copy of that file kept with the release, by its own checksum.
     */
    private static Optional<ReleaseFile> recordedCopyOf(List<MigrationRecord> applied, String name) {
        for (MigrationRecord record : applied) {
            if (record.isRelease()) {
                Optional<ReleaseFile> member = record.releaseFiles().stream().filter(f -> f.name().equals(name)).findFirst();
                if (member.isPresent()) {
                    return member;
                }
            } else if (record.name().equals(name)) {
                return Optional.of(ReleaseFile.of(1, record.migration()));
            }
        }
        return Optional.empty();
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
