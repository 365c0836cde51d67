package dev.accordion;

import dev.accordion.plan.Phase;
import dev.accordion.plan.StepId;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A phase that began and stopped before its end, with no runner working on it: which phase, how far it got
 * ({@code stepsDone} of {@code steps} journaled), the step it stopped at (none when every step is done and only the
 * phase's end was not recorded), when it last made progress (a journaled step or a backfill batch; none before the
 * first), and the commands that finish it or undo it ({@code rollbackCommand} is empty when rollback is no longer
 * possible, during complete, or is itself what was interrupted).
 */
public record Interruption(Phase phase, int stepsDone, int steps, Optional<StoppedStep> stoppedAt,
                           Optional<Instant> lastProgressAt, String resumeCommand, Optional<String> rollbackCommand) {

    /** The first step of the phase not yet done, and for a backfill the rows its committed batches visited. */
    public record StoppedStep(int number, StepId id, String summary, OptionalLong rowsDone) {
    }
}
