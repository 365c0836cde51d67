package dev.accordion.cli;

import dev.accordion.Interruption;
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
    record ActiveMigration(String name, String status, String versionSchema, boolean interrupted, String interruptedPhase,
                           InterruptedPhase interruption) {
    }

    /**
     * Where an interrupted phase stopped: {@code stepsDone} of {@code steps}; the step it stopped at (null fields when
     * every step is done and only the phase's end is missing), with {@code rowsDone} for a backfill; when it last made
     * progress (null before its first step finished); the exact commands that finish it and, for start, undo it.
     */
    record InterruptedPhase(String phase, int stepsDone, int steps, Integer stoppedAtStep, String stoppedAtStepId,
                            String stoppedAtStepSummary, Long rowsDone, String lastProgressAt, String resumeCommand,
                            String rollbackCommand) {

        static InterruptedPhase of(Interruption interruption) {
            Optional<Interruption.StoppedStep> at = interruption.stoppedAt();
            return new InterruptedPhase(interruption.phase().label(), interruption.stepsDone(), interruption.steps(),
                    at.map(Interruption.StoppedStep::number).orElse(null), at.map(step -> step.id().value()).orElse(null),
                    at.map(Interruption.StoppedStep::summary).orElse(null),
                    at.filter(step -> step.rowsDone().isPresent()).map(step -> step.rowsDone().getAsLong()).orElse(null),
                    interruption.lastProgressAt().map(Instant::toString).orElse(null), interruption.resumeCommand(),
                    interruption.rollbackCommand().orElse(null));
        }
    }

    /** Times are ISO-8601 instants in UTC; {@code completedAt} is null until the migration completes. */
    record HistoryEntry(String name, String status, String versionSchema, boolean baseline, String startedAt,
                        String completedAt) {
    }

    static StatusDocument of(Status status) {
        ActiveMigration active = status.active()
                .map(record -> new ActiveMigration(record.name(), label(record.status()), record.versionSchema().name(),
                        status.interrupted(), status.interrupted() ? phaseUnderway(record.status()).orElse(null) : null,
                        status.interruption().map(InterruptedPhase::of).orElse(null)))
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
