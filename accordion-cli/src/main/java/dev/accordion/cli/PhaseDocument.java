package dev.accordion.cli;

import dev.accordion.PhaseResult;
import java.util.Locale;

/**
 * {@code --output json} of a finished phase (start, complete, rollback, baseline): what ran and the version schema
 * clients use now (and the one it dropped); {@code message} is the line the text output prints.
 */
record PhaseDocument(String migration, String phase, String versionSchema, String droppedVersionSchema, int stepsRun, long tookMs,
                     String message) {

    static PhaseDocument of(PhaseResult result) {
        return of(result, result.phase().name().toLowerCase(Locale.ROOT), PhaseResultLine.of(result));
    }

    static PhaseDocument ofBaseline(PhaseResult result) {
        return of(result, "baseline", PhaseResultLine.ofBaseline(result));
    }

    private static PhaseDocument of(PhaseResult result, String phase, String message) {
        return new PhaseDocument(result.migration(), phase, result.versionSchema().orElse(null),
                result.droppedVersionSchema().orElse(null), result.stepsRun(),
                result.took().toMillis(), message);
    }
}
