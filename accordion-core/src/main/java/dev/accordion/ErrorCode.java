package dev.accordion;

/**
 * The kinds of failure, each with the CLI's exit code for it. Stable: scripts may depend on them.
 */
public enum ErrorCode {
    USAGE(2, "bad command line or input file"),
    INVALID_MIGRATION(3, "the migration is invalid; nothing was changed"),
    STATE_CONFLICT(4, "the command does not fit the migration state (one is active, or none is)"),
    CONNECTION(5, "cannot connect to the database"),
    LOCK_TIMEOUT(6, "a lock could not be taken before the deadline"),
    DATABASE(7, "the database refused a statement"),
    CONCURRENT_RUNNER(8, "another Accordion runner works on this schema"),
    ROWS_DISAGREE(9, "rows disagree between the two versions; complete changed nothing"),
    UNSAFE_TO_CONTRACT(10, "clients still use the old version schema; complete changed nothing"),
    STOPPED(11, "a rollback from another process stopped the phase between two steps"),
    DEGRADED(12, "the server stayed degraded past the abort limit; start rolled back"),
    INTERNAL(1, "unexpected error");

    private final int exitCode;
    private final String meaning;

    ErrorCode(int exitCode, String meaning) {
        this.exitCode = exitCode;
        this.meaning = meaning;
    }

    public int exitCode() {
        return exitCode;
    }

    public String meaning() {
        return meaning;
    }
}
