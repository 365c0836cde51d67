package dev.accordion.cli;

import dev.accordion.Status;
import dev.accordion.spi.MigrationRecord;
import dev.accordion.spi.MigrationStatus;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@code accordion status} as data: what {@code --output json} prints and what the text view renders. */
record StatusDocument(String schema, boolean initialized, String latestVersionSchema, ActiveMigration activeMigration,
                      String nextStep, List<HistoryEntry> history) {

    /**
     * The migration between start and complete (or stuck in a phase). {@code interruptedPhase} names
     * the phase that began and stopped with no runner working on it; null when nothing is interrupted.
     */
    record ActiveMigration(String name, String status, String versionSchema, boolean interrupted, String interruptedPhase) {
    }

    /** Times are ISO-8601 instants in UTC; {@code completedAt} is null until the migration completes. */
    record HistoryEntry(String name, String status, String versionSchema, boolean baseline, String startedAt,
                        String completedAt) {
    }

    static StatusDocument of(Status status) {
        ActiveMigration active = status.active()
                .map(record -> new ActiveMigration(record.name(), label(record.status()), record.versionSchema().name(),
                        status.interrupted(), status.interrupted() ? phaseUnderway(record.status()).orElse(null) : null))
                .orElse(null);
        return new StatusDocument(status.schema(), status.initialized(), status.latestVersionSchema().orElse(null), active,
                status.nextStep(), status.history().stream().map(StatusDocument::entryOf).toList());
    }

    private static HistoryEntry entryOf(MigrationRecord record) {
        return new HistoryEntry(record.name(), label(record.status()), record.versionSchema().name(), record.baseline(),
                record.startedAt().toString(), record.completedAt().map(Instant::toString).orElse(null));
    }

    /** Status names as the facade's messages write them: {@code rolling_back}, {@code active}. */
    static String label(MigrationStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    /** The phase a status means is under way; none for the resting states. */
    private static Optional<String> phaseUnderway(MigrationStatus status) {
        return switch (status) {
            case STARTING -> Optional.of("start");
            case COMPLETING -> Optional.of("complete");
            case ROLLING_BACK -> Optional.of("rollback");
            case ACTIVE, COMPLETE -> Optional.empty();
        };
    }
}
