package dev.accordion.cli;

import dev.accordion.FilesReport;
import dev.accordion.Interruption;
import dev.accordion.Status;
import dev.accordion.migration.MigrationFingerprint;
import dev.accordion.spi.BackfillPause;
import dev.accordion.spi.BackfillProgress;
import dev.accordion.spi.MigrationRecord;
import dev.accordion.spi.MigrationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code accordion status} as data: what {@code --output json} prints and what the text view renders.
 * {@code latestVersionSchema} exists and is what new clients use; {@code comingVersionSchema} is a start's under way (or
 * interrupted), which may not exist yet.
 */
record StatusDocument(String schema, boolean initialized, String latestVersionSchema, String comingVersionSchema,
                      ActiveMigration activeMigration,
                      BackfillPauseDocument backfillPause, String nextStep, List<ClientWatchDocument> clients,
                      List<HistoryEntry> history, FilesDocument files) {

    /**
     * A directory of migration files against the history (only when status is given one): applied files edited since
     * (drift), files not yet applied, those that sort before the latest applied migration and so cannot run, and
     * applied migrations without a file there.
     */
    record FilesDocument(String directory, List<DriftDocument> drift, List<String> pending, List<String> outOfOrder,
                         List<String> missing) {

        static FilesDocument of(String directory, FilesReport report) {
            return new FilesDocument(directory, report.drifted().stream().map(d -> new DriftDocument(d.migration(),
                    d.recordedChecksum(), d.fileChecksum(), d.differences())).toList(), report.pending(), report.outOfOrder(),
                    report.missing());
        }
    }

    record DriftDocument(String migration, String recordedChecksum, String fileChecksum, List<String> differences) {
    }

    /**
     * The migration between start and complete (or stuck in a phase). {@code interruptedPhase} names
     * the phase that began and stopped with no runner working on it; null when nothing is interrupted.
     * {@code backfills}: its backfills under way (or interrupted), as their runner last reported them.
     */
    record ActiveMigration(String name, String status, String versionSchema, boolean interrupted, String interruptedPhase,
                           InterruptedPhase interruption, List<BackfillDocument> backfills) {
    }

    /** The schema's backfill pause: why (null when no reason was given), who set it (host/pid/application), since when. */
    record BackfillPauseDocument(String reason, String pausedBy, String pausedAt) {

        static BackfillPauseDocument of(BackfillPause pause) {
            return new BackfillPauseDocument(pause.reason().orElse(null), pause.pausedBy(), pause.pausedAt().toString());
        }
    }

    /**
     * One backfill's progress: the step ({@code step}, its id) and what it fills ({@code what}: the table and columns);
     * rows done of about {@code estimatedTotal} ({@code percent} of it); its rate and the seconds left at that rate,
     * only while it runs (null while paused, throttled, or without a rate); {@code state} running, throttled or paused,
     * with the reason; and how many seconds ago its runner last reported (a large number means it stopped).
     */
    record BackfillDocument(String step, String what, long rowsDone, long estimatedTotal, Integer percent, Double rowsPerSecond,
                            Long secondsLeft, String state, String reason, double secondsSinceReport) {

        static BackfillDocument of(BackfillProgress progress, String what) {
            long total = Math.max(progress.estimatedTotal(), progress.rowsDone());
            boolean running = "running".equals(progress.state().label());
            return new BackfillDocument(progress.step().value(), what, progress.rowsDone(), total,
                    total == 0 ? null : (int) Math.min(100, progress.rowsDone() * 100 / total),
                    running ? Math.round(progress.rowsPerSecond() * 10) / 10.0 : null,
                    running ? progress.timeLeft().map(Duration::toSeconds).orElse(null) : null, progress.state().label(),
                    progress.reason().orElse(null), progress.reportedAgo().toMillis() / 1000.0);
        }
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

    /**
     * Times are ISO-8601 instants in UTC; {@code completedAt} is null until the migration completes. {@code checksum}:
     * SHA-256 of what the migration says (not of the file's bytes: comments and layout do not count); null for a baseline.
     * {@code releaseFiles}: the files of a release in order, each with its own checksum; null for a migration of one file.
     */
    record HistoryEntry(String name, String status, String versionSchema, boolean baseline, String startedAt,
                        String completedAt, String checksum, List<ReleaseFileDocument> releaseFiles) {
    }

    record ReleaseFileDocument(String name, String checksum) {
    }

    static StatusDocument of(Status status) {
        return of(status, Optional.empty());
    }

    static StatusDocument of(Status status, Optional<FilesDocument> files) {
        ActiveMigration active = status.active()
                .map(record -> new ActiveMigration(record.name(), label(record.status()), record.versionSchema().name(),
                        status.interrupted(), status.interrupted() ? phaseUnderway(record.status()).orElse(null) : null,
                        status.interruption().map(InterruptedPhase::of).orElse(null),
                        status.backfills().stream()
                                .map(backfill -> BackfillDocument.of(backfill, status.summaryOf(backfill.step()))).toList()))
                .orElse(null);
        return new StatusDocument(status.schema(), status.initialized(), status.latestVersionSchema().orElse(null),
                status.comingVersionSchema().orElse(null), active,
                status.backfillPause().map(BackfillPauseDocument::of).orElse(null), status.nextStep(),
                status.clientWatches().stream().map(ClientWatchDocument::of).toList(), status.history().stream().map(StatusDocument::entryOf).toList(), files.orElse(null));
    }

    private static HistoryEntry entryOf(MigrationRecord record) {
        return new HistoryEntry(record.name(), label(record.status()), record.versionSchema().name(), record.baseline(),
                record.startedAt().toString(), record.completedAt().map(Instant::toString).orElse(null),
                record.baseline() ? null : MigrationFingerprint.of(record.migration()).checksum(),
                record.isRelease() ? record.releaseFiles().stream().map(f -> new ReleaseFileDocument(f.name(), f.checksum())).toList() : null);
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
