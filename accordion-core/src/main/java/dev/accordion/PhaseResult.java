package dev.accordion;

import dev.accordion.plan.Phase;
import java.time.Duration;
import java.util.Optional;

/**
 * A finished phase: which migration, which phase, the version schema clients should use now (none
 * after rolling back a schema's first migration), the version schema the phase dropped (complete: the
 * old version's, none for a schema's first migration; rollback: the new version's; start: none), and
 * how long it took.
 */
public record PhaseResult(String migration, Phase phase, Optional<String> versionSchema, Optional<String> droppedVersionSchema,
                          int stepsRun, Duration took) {
}
