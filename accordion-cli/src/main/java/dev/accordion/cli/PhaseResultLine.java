package dev.accordion.cli;

import dev.accordion.PhaseResult;

/** The one line on stdout that says what a finished phase means for clients. */
final class PhaseResultLine {

    /** What the facade reports as the version schema after a rollback that leaves no version. */
    private static final String NO_VERSION = "(none)";

    private PhaseResultLine() {
    }

    static String of(PhaseResult result) {
        return switch (result.phase()) {
            case START -> "started " + result.migration() + ": clients of the new version use search_path \""
                    + result.versionSchema() + "\"; clients of the old version keep working";
            case COMPLETE -> "completed " + result.migration() + ": clients use search_path \"" + result.versionSchema()
                    + "\"; the old version is gone";
            case ROLLBACK -> "rolled back " + result.migration() + (NO_VERSION.equals(result.versionSchema())
                    ? ": there is no earlier version; the migration's changes are gone"
                    : ": clients use search_path \"" + result.versionSchema() + "\"; the migration's changes are gone");
        };
    }

    static String ofBaseline(PhaseResult result) {
        return "baselined " + result.migration() + ": clients of the existing schema can use search_path \""
                + result.versionSchema() + "\"; start migrations with \"accordion start <file>\"";
    }
}
