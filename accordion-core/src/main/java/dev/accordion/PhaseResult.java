package dev.accordion;

import dev.accordion.plan.Phase;
import java.time.Duration;
import java.util.Optional;

/**
 * A finished phase: which migration, which phase, the version schema clients should use now (none
 * after rolling back a schema's first migration), and how long it took.
 */
public record PhaseResult(String migration, Phase phase, Optional<String> versionSchema, int stepsRun, Duration took) {
}
