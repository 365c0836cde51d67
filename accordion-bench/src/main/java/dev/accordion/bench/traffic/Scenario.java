package dev.accordion.bench.traffic;

/**
 * A migration and the clients of the two versions it serves: what the old version's clients do, what the new
 * version's do, and a query that counts the rows the two versions' views see differently (zero once the migration
 * has started and its backfill is done, whatever the clients write).
 *
 * @param title         what the migration does, in a few words
 * @param migrationName the migration's name, which names the new version schema
 * @param migrationYaml the migration file
 * @param oldVersion    a client of the version before the migration
 * @param newVersion    a client of the version the migration makes
 * @param disagreements the counting query for the old and the new version schema
 */
public record Scenario(String title, String migrationName, String migrationYaml, ClientScript oldVersion, ClientScript newVersion,
                       Disagreements disagreements) {

    @Override
    public String toString() {
        return title;
    }

    /** The query that counts rows the two versions see differently. */
    @FunctionalInterface
    public interface Disagreements {
        String sql(String oldSchema, String newSchema);
    }
}
