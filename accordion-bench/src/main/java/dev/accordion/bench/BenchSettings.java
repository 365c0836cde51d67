package dev.accordion.bench;

import dev.accordion.execute.BackfillPolicy;

/**
 * What one benchmark run does: how many rows the table holds, how many rounds are measured (the report takes
 * their median), the fillfactor both tables get, and the backfill's batch policy (as {@code accordion start} would use it).
 */
public record BenchSettings(long rows, int rounds, int fillfactor, BackfillPolicy backfill) {

    public static final long DEFAULT_ROWS = 1_000_000;
    public static final int DEFAULT_ROUNDS = 5;
    /** PostgreSQL's own default: pages are filled completely, so an UPDATE puts the new row on another page. */
    public static final int DEFAULT_FILLFACTOR = 100;

    /** @throws IllegalArgumentException naming the option that is out of range */
    public BenchSettings {
        if (rows < 1) {
            throw new IllegalArgumentException("--rows must be at least 1, not " + rows);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1, not " + rounds);
        }
        if (fillfactor < 10 || fillfactor > 100) {
            throw new IllegalArgumentException("--fillfactor must be between 10 and 100 (PostgreSQL's range), not " + fillfactor);
        }
    }
}
