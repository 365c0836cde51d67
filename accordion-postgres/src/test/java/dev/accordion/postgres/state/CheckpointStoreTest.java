package dev.accordion.postgres.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.Accordion;
import dev.accordion.migration.MigrationReader;
import dev.accordion.plan.Phase;
import dev.accordion.plan.StepId;
import dev.accordion.postgres.testing.TestDatabase;
import dev.accordion.spi.Checkpoint;
import dev.accordion.spi.Journal;
import dev.accordion.sql.Identifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Backfill checkpoints in the state store: kept per migration and phase, written on the batch's own connection,
 * removed with a rolled-back migration, and added by {@code init} to a state schema an older Accordion created.
 */
class CheckpointStoreTest {

    private static final Identifier PUBLIC = Identifier.of("public");
    private static final StepId BACKFILL = new StepId("backfill/users/email");

    /** The state schema as the first release created it: no checkpoints table. */
    private static final String[] OLDER_STATE_SCHEMA = {
        "CREATE SCHEMA accordion",
        """
        CREATE TABLE accordion.migrations (
          schema_name text NOT NULL, name text NOT NULL, parent text, version_schema text NOT NULL,
          migration jsonb NOT NULL, base_schema jsonb NOT NULL, status text NOT NULL,
          baseline boolean NOT NULL DEFAULT false, started_at timestamptz NOT NULL DEFAULT now(), completed_at timestamptz,
          PRIMARY KEY (schema_name, name))""",
        "CREATE UNIQUE INDEX migrations_one_active ON accordion.migrations (schema_name) WHERE status <> 'complete'",
        """
        CREATE TABLE accordion.journal (
          schema_name text NOT NULL, migration text NOT NULL, phase text NOT NULL, step_id text NOT NULL,
          finished_at timestamptz NOT NULL DEFAULT clock_timestamp(),
          PRIMARY KEY (schema_name, migration, phase, step_id))""",
        "INSERT INTO accordion.journal (schema_name, migration, phase, step_id) VALUES ('public', '01_users', 'start', 'create/users')",
    };

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private PostgresStateStore store() {
        return new PostgresStateStore(db::connect, Identifier.of("accordion"));
    }

    @Test
    void initAddsTheCheckpointsTableToAnOlderStateSchemaAndKeepsItsJournal() {
        db.execute(OLDER_STATE_SCHEMA);
        PostgresStateStore store = store();
        assertThat(store.isInitialized()).isTrue();
        assertThat(store.isCurrent()).isFalse();

        store.init();

        assertThat(store.isCurrent()).isTrue();
        assertThat(db.queryStrings("SELECT column_name || ' ' || data_type || ' ' || is_nullable FROM information_schema.columns "
                + "WHERE table_schema = 'accordion' AND table_name = 'checkpoints' ORDER BY ordinal_position"))
                .containsExactly("schema_name text NO", "migration text NO", "phase text NO", "step_id text NO",
                        "position text YES", "rows_done bigint NO", "updated_at timestamp with time zone NO");
        assertThat(db.queryString("SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                + "WHERE conrelid = 'accordion.checkpoints'::regclass AND contype = 'p'"))
                .isEqualTo("PRIMARY KEY (schema_name, migration, phase, step_id)");
        assertThat(db.queryStrings("SELECT step_id FROM accordion.journal")).containsExactly("create/users");
    }

    @Test
    void initTwiceChangesNothing() {
        store().init();
        Journal journal = store().journal(PUBLIC, "02_email", Phase.START);
        save(journal, new Checkpoint(Optional.of("42"), 42));

        store().init();

        assertThat(journal.checkpoint(BACKFILL)).contains(new Checkpoint(Optional.of("42"), 42));
    }

    @Test
    void aPhaseCommandOnAnOlderStateSchemaBringsItUpToDate() {
        db.execute(OLDER_STATE_SCHEMA);
        db.execute("DELETE FROM accordion.journal");
        Accordion accordion = Accordion.configure().clientWatch(java.time.Duration.ZERO).connections(db::connect).load();

        accordion.start(MigrationReader.parseYaml("01_users", """
                operations:
                  - create_table:
                      name: users
                      columns:
                        - {name: id, type: serial, pk: true}
                """), false);

        assertThat(db.queryString("SELECT to_regclass('accordion.checkpoints') IS NOT NULL")).isEqualTo("t");
        assertThat(db.queryString("SELECT status FROM accordion.migrations WHERE name = '01_users'")).isEqualTo("active");
    }

    @Test
    void aCheckpointIsSavedOverTheLastAndBelongsToOneMigrationAndPhase() {
        PostgresStateStore store = store();
        store.init();
        Journal start = store.journal(PUBLIC, "02_email", Phase.START);

        save(start, new Checkpoint(Optional.of("1000"), 1_000));
        save(start, new Checkpoint(Optional.of("(3,17)"), 2_000));

        assertThat(start.checkpoint(BACKFILL)).contains(new Checkpoint(Optional.of("(3,17)"), 2_000));
        assertThat(store.journal(PUBLIC, "02_email", Phase.ROLLBACK).checkpoint(BACKFILL))
                .as("a rollback's step never resumes from where start got").isEmpty();
        assertThat(store.journal(PUBLIC, "02_email", Phase.COMPLETE).checkpoint(BACKFILL)).isEmpty();
        assertThat(store.journal(PUBLIC, "03_other", Phase.START).checkpoint(BACKFILL)).isEmpty();
        assertThat(store.journal(Identifier.of("shop"), "02_email", Phase.START).checkpoint(BACKFILL)).isEmpty();
        assertThat(start.checkpoint(new StepId("backfill/users/name"))).isEmpty();
    }

    @Test
    void aCheckpointCommitsOrRollsBackWithTheBatchTransaction() throws SQLException {
        PostgresStateStore store = store();
        store.init();
        Journal journal = store.journal(PUBLIC, "02_email", Phase.START);
        save(journal, new Checkpoint(Optional.of("1000"), 1_000));

        try (Connection batch = db.connect()) {
            batch.setAutoCommit(false);
            journal.saveCheckpoint(batch, BACKFILL, new Checkpoint(Optional.of("2000"), 2_000));
            batch.rollback();
        }

        assertThat(journal.checkpoint(BACKFILL)).contains(new Checkpoint(Optional.of("1000"), 1_000));
    }

    @Test
    void anEmptyPositionIsKept() {
        PostgresStateStore store = store();
        store.init();
        Journal journal = store.journal(PUBLIC, "02_email", Phase.START);

        save(journal, new Checkpoint(Optional.empty(), 0));

        assertThat(journal.checkpoint(BACKFILL)).contains(new Checkpoint(Optional.empty(), 0));
    }

    @Test
    void deletingARolledBackMigrationRemovesItsCheckpointsOnly() {
        PostgresStateStore store = store();
        store.init();
        save(store.journal(PUBLIC, "02_email", Phase.START), new Checkpoint(Optional.of("7"), 7));
        save(store.journal(PUBLIC, "02_email", Phase.ROLLBACK), new Checkpoint(Optional.of("3"), 3));
        save(store.journal(Identifier.of("shop"), "02_email", Phase.START), new Checkpoint(Optional.of("9"), 9));

        store.delete(PUBLIC, "02_email");

        assertThat(db.queryStrings("SELECT schema_name || '/' || migration || '/' || phase || '/' || position "
                + "FROM accordion.checkpoints")).containsExactly("shop/02_email/start/9");
        assertThat(store.journal(PUBLIC, "02_email", Phase.START).checkpoint(BACKFILL))
                .as("starting the migration again begins the backfill from the start").isEmpty();
    }

    private void save(Journal journal, Checkpoint checkpoint) {
        try (Connection connection = db.connect()) {
            journal.saveCheckpoint(connection, BACKFILL, checkpoint);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
