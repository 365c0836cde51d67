package dev.accordion;

import dev.accordion.plan.Phase;
import java.time.Duration;

/** A finished phase: which migration, which phase, the version schema clients should use now, and how long it took. */
public record PhaseResult(String migration, Phase phase, String versionSchema, int stepsRun, Duration took) {
}
