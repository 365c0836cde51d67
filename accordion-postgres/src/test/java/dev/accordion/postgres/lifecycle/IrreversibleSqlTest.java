package dev.accordion.postgres.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.migration.MigrationReader;
import dev.accordion.postgres.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SQL without down survives a rollback; starting the migration again must neither fail on it nor run it twice. */
class IrreversibleSqlTest {

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @Test
    void startingAgainAfterRollbackSkipsTheSqlThatIsStillThere() {
        Lifecycle lifecycle = new Lifecycle(db);
        String yaml = """
                operations:
                  - sql:
                      up: CREATE TYPE fruit_size AS ENUM ('small', 'medium', 'large')
                """;
        lifecycle.accordion().start(MigrationReader.parseYaml("01_enum", yaml), false);
        lifecycle.accordion().rollback();
        assertThat(db.queryStrings("SELECT typname FROM pg_type WHERE typname = 'fruit_size'")).as("left by rollback").hasSize(1);

        lifecycle.accordion().start(MigrationReader.parseYaml("01_enum", yaml), true);
        assertThat(lifecycle.accordion().status().history()).extracting(r -> r.name()).containsExactly("01_enum");
    }

    @Test
    void anEditedStatementRunsAfterRollback() {
        Lifecycle lifecycle = new Lifecycle(db);
        lifecycle.given("00_base", """
                operations:
                  - create_table: {name: items, columns: [{name: id, type: serial, pk: true}]}
                """);
        lifecycle.accordion().start(MigrationReader.parseYaml("01_enum", """
                operations:
                  - sql: {up: "CREATE TABLE counter (n int); INSERT INTO counter VALUES (1)"}
                """), false);
        lifecycle.accordion().rollback();
        lifecycle.accordion().start(MigrationReader.parseYaml("01_enum", """
                operations:
                  - sql: {up: "INSERT INTO counter VALUES (2)"}
                """), true);
        assertThat(db.queryStrings("SELECT n::text FROM public.counter ORDER BY n")).containsExactly("1", "2");
    }
}
