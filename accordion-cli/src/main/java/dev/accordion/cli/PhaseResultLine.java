package dev.accordion.cli;

import dev.accordion.PhaseResult;

/** The one line on stdout that says what a finished phase means for clients. */
final class PhaseResultLine {

    private PhaseResultLine() {
    }

    static String of(PhaseResult result) {
        return switch (result.phase()) {
            case START -> "started " + result.migration() + ": clients of the new version use search_path \""
                    + schemaOf(result) + "\"; clients of the old version keep working";
            case COMPLETE -> "completed " + result.migration() + ": clients use search_path \"" + schemaOf(result) + "\"; "
                    + result.droppedVersionSchema().map(old -> "the old version's schema \"" + old + "\" is gone")
                            .orElse("there was no earlier version schema to drop");
            case ROLLBACK -> "rolled back " + result.migration() + result.versionSchema()
                    .map(schema -> ": clients use search_path \"" + schema + "\"; the migration's changes are gone")
                    .orElse(": there is no earlier version; the migration's changes are gone");
        };
    }

    /** Start, complete and baseline always leave a version schema. */
    private static String schemaOf(PhaseResult result) {
        return result.versionSchema().orElseThrow();
    }

    static String ofBaseline(PhaseResult result) {
        return "baselined " + result.migration() + ": clients of the existing schema can use search_path \""
                + schemaOf(result) + "\"; start migrations with \"accordion start <file>\"";
    }
}
