package dev.accordion;

import dev.accordion.spi.BackfillPause;
import dev.accordion.spi.BackfillProgress;
import dev.accordion.spi.MigrationRecord;
import dev.accordion.plan.StepId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code accordion status} reports. {@code interruption} is present when the active migration's phase began and
 * no runner is working on it now; {@code nextStep} says which command moves things on. {@code backfillPause} is the
 * schema's pause, if one stands; {@code backfills} the progress the active migration's running (or interrupted)
 * backfills last reported, with {@code stepSummaries} saying what each fills. {@code clientWatches} is the last watch
 * of each live version schema for the sessions that use it ({@code accordion clients}, or complete's own).
 */
public record Status(String schema, boolean initialized, Optional<String> latestVersionSchema,
                     Optional<MigrationRecord> active, Optional<Interruption> interruption, String nextStep,
                     List<MigrationRecord> history, Optional<BackfillPause> backfillPause, List<BackfillProgress> backfills,
                     Map<StepId, String> stepSummaries, List<ClientWatch> clientWatches) {

    public Status(String schema, boolean initialized, Optional<String> latestVersionSchema, Optional<MigrationRecord> active,
                  Optional<Interruption> interruption, String nextStep, List<MigrationRecord> history,
                  Optional<BackfillPause> backfillPause, List<BackfillProgress> backfills, Map<StepId, String> stepSummaries) {
        this(schema, initialized, latestVersionSchema, active, interruption, nextStep, history, backfillPause, backfills,
                stepSummaries, List.of());
    }

    public Status(String schema, boolean initialized, Optional<String> latestVersionSchema, Optional<MigrationRecord> active,
                  Optional<Interruption> interruption, String nextStep, List<MigrationRecord> history,
                  Optional<BackfillPause> backfillPause, List<BackfillProgress> backfills) {
        this(schema, initialized, latestVersionSchema, active, interruption, nextStep, history, backfillPause, backfills, Map.of());
    }

    /** What a backfill step fills, as people read it (the table and its columns), instead of its step id. */
    public String summaryOf(StepId step) {
        return stepSummaries.getOrDefault(step, step.value());
    }

    public Status(String schema, boolean initialized, Optional<String> latestVersionSchema, Optional<MigrationRecord> active,
                  Optional<Interruption> interruption, String nextStep, List<MigrationRecord> history) {
        this(schema, initialized, latestVersionSchema, active, interruption, nextStep, history, Optional.empty(), List.of());
    }

    /** The version schema of a start under way or interrupted: it becomes the latest when that start finishes. */
    public Optional<String> comingVersionSchema() {
        return active.filter(r -> r.status() == dev.accordion.spi.MigrationStatus.STARTING).map(r -> r.versionSchema().name());
    }

    public boolean interrupted() {
        return interruption.isPresent();
    }
}
