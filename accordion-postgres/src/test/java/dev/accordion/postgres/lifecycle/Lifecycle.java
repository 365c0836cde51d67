package dev.accordion.postgres.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.Accordion;
import dev.accordion.migration.Migration;
import dev.accordion.migration.MigrationReader;
import dev.accordion.postgres.testing.TestDatabase;
import java.time.Duration;

/**
 * The lifecycle harness: start, check through the old and the new version, roll back, check,
 * start again, complete, check, and after each end make sure nothing of Accordion's is left but
 * the one version schema clients should use.
 */
public final class Lifecycle {

    /** Checks made through the two versions' clients; {@code oldVersion} is null for a first migration. */
    @FunctionalInterface
    public interface Checks {
        void check(VersionClient oldVersion, VersionClient newVersion) throws Exception;
    }

    public static final Checks NOTHING = (oldVersion, newVersion) -> { };

    private final TestDatabase db;
    private final Accordion accordion;

    public Lifecycle(TestDatabase db) {
        this.db = db;
        this.accordion = Accordion.configure().clientWatch(java.time.Duration.ZERO).connections(db::connect).lockTimeout(Duration.ofMillis(500))
                .lockRetryDeadline(Duration.ofSeconds(20)).load();
    }

    public Accordion accordion() {
        return accordion;
    }

    public VersionClient version(String migrationName) {
        return new VersionClient(db, "public_" + migrationName);
    }

    /** Starts and completes a migration that sets the scene. */
    public void given(String name, String yaml) {
        accordion.start(MigrationReader.parseYaml(name, yaml), true);
    }

    public void run(String name, String yaml, Checks afterStart, Checks afterRollback, Checks afterComplete) throws Exception {
        run(name, yaml, afterStart, afterRollback, afterComplete, Accordion::complete);
    }

    /** How a test completes: {@code Accordion::complete}, or its own steps (a refusal it expects first, say). */
    public interface Completion {
        void complete(Accordion accordion) throws Exception;
    }

    public void run(String name, String yaml, Checks afterStart, Checks afterRollback, Checks afterComplete, Completion completion)
            throws Exception {
        Migration migration = MigrationReader.parseYaml(name, yaml);
        String before = accordion.latestVersionSchema().map(Object::toString).orElse(null);
        VersionClient oldVersion = before == null ? null : new VersionClient(db, before);
        VersionClient newVersion = new VersionClient(db, accordion.start(migration, false).versionSchema().orElseThrow());

        afterStart.check(oldVersion, newVersion);
        accordion.rollback();
        assertOnlyVersionSchema(before);
        afterRollback.check(oldVersion, newVersion);

        accordion.start(migration, false);
        afterStart.check(oldVersion, newVersion);
        completion.complete(accordion);
        assertOnlyVersionSchema(newVersion.schema());
        afterComplete.check(oldVersion, newVersion);
    }

    /** Only the expected version schema exists, and no object Accordion names with its prefix is left in the schema. */
    public void assertOnlyVersionSchema(String expected) {
        assertThat(db.queryStrings("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'public\\_%' ORDER BY 1"))
                .as("version schemas").containsExactlyElementsOf(expected == null ? java.util.List.of() : java.util.List.of(expected));
        assertThat(db.queryStrings("SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = 'public' AND relname LIKE '\\_acc\\_%'")).as("Accordion's tables and indexes").isEmpty();
        assertThat(db.queryStrings("SELECT attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND attname LIKE '\\_acc\\_%' "
                + "AND NOT attisdropped")).as("Accordion's columns").isEmpty();
        assertThat(db.queryStrings("SELECT tgname FROM pg_trigger WHERE tgname LIKE '\\_acc\\_%'")).as("Accordion's triggers").isEmpty();
        assertThat(db.queryStrings("SELECT proname FROM pg_proc WHERE proname LIKE '\\_acc\\_%'")).as("Accordion's functions").isEmpty();
    }
}
