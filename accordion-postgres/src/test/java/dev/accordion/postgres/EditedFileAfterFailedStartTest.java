package dev.accordion.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accordion.Accordion;
import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.Hint;
import dev.accordion.execute.ExecutionListener;
import dev.accordion.migration.Migration;
import dev.accordion.migration.MigrationReader;
import dev.accordion.postgres.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A start that failed, then run again after its file was edited: the file takes the recorded copy's place while the
 * failed start changed nothing, and is refused, naming what differs, once it has, unless the operator asks for the
 * recorded copy. The start fails on a lock that another session holds, which no validation can foresee.
 */
class EditedFileAfterFailedStartTest {

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private final List<String> decisions = new ArrayList<>();

    @BeforeEach
    void itemsAndOrders() {
        db.execute("CREATE TABLE items (id bigint PRIMARY KEY, price integer NOT NULL)",
                "CREATE TABLE orders (id bigint PRIMARY KEY, qty integer NOT NULL)",
                "INSERT INTO items SELECT g, g FROM generate_series(1, 100) g",
                "INSERT INTO orders SELECT g, g FROM generate_series(1, 100) g");
        accordion().baseline("01_base");
    }

    @Test
    void aFileEditedAfterAStartThatChangedNothingTakesTheRecordedCopysPlace() throws SQLException {
        failWhileLocked("items", migration("02_doubled", "price * 2"));

        accordion().start(migration("02_doubled", "price * 3"), false);

        assertThat(decisions).singleElement().asString()
                .startsWith("The file of migration \"02_doubled\" differs from the copy its interrupted start recorded, and that "
                        + "start changed nothing, so the file takes its place:")
                .contains("operation 1 (add_column): up: \"price * 2\" recorded, \"price * 3\" in the file");
        assertThat(db.queryStrings("SELECT name || ' ' || status FROM accordion.migrations ORDER BY started_at"))
                .containsExactly("01_base complete", "02_doubled active");
        assertThat(db.queryStrings("SELECT sum(doubled) FROM items")).as("filled by the file's up").containsExactly("15150");
    }

    @Test
    void aFileEditedAfterAStartThatChangedSomethingIsRefusedNamingTheDifference() throws SQLException {
        String orders = """
                  - add_column:
                      table: orders
                      column: {name: note, type: text, nullable: true}
                """;
        failWhileLocked("orders", twoOperations("02_two", "price * 2", orders));

        assertThatThrownBy(() -> accordion().start(twoOperations("02_two", "price * 3", orders), false))
                .isInstanceOfSatisfying(AccordionException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STATE_CONFLICT);
                    assertThat(e.getMessage())
                            .startsWith("migration \"02_two\" differs from the copy recorded when its start began, and that "
                                    + "start has already run 1 step of the recorded copy on schema \"public\"")
                            .contains("\n  operation 1 (add_column): up: \"price * 2\" recorded, \"price * 3\" in the file", "accordion rollback",
                                    "again, resuming the recorded copy")
                            .doesNotContain("operation 2").doesNotContain("--");
                    assertThat(e.hint()).contains(Hint.RESUME_RECORDED);
                });
        assertThat(db.queryStrings("SELECT name || ' ' || status FROM accordion.migrations ORDER BY started_at"))
                .as("nothing changed by the refusal").containsExactly("01_base complete", "02_two starting");

        accordion().start(twoOperations("02_two", "price * 3", orders), false, Accordion.EditedFile.RESUME_RECORDED);

        assertThat(db.queryStrings("SELECT sum(doubled) FROM items")).as("filled by the recorded up").containsExactly("10100");
        assertThat(db.queryStrings("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'orders' AND column_name = 'note'"))
                .containsExactly("1");
        assertThat(decisions).isEmpty();
    }

    @Test
    void afterTheAdvisedRollbackTheEditedFileStarts() throws SQLException {
        String orders = """
                  - add_column:
                      table: orders
                      column: {name: note, type: text, nullable: true}
                """;
        failWhileLocked("orders", twoOperations("02_two", "price * 2", orders));

        accordion().rollback();
        accordion().start(twoOperations("02_two", "price * 3", orders), false);

        assertThat(db.queryStrings("SELECT sum(doubled) FROM items")).containsExactly("15150");
        assertThat(db.queryStrings("SELECT name || ' ' || status FROM accordion.migrations ORDER BY started_at"))
                .containsExactly("01_base complete", "02_two active");
    }

    @Test
    void theSameFileResumesWithoutADecision() throws SQLException {
        failWhileLocked("items", migration("02_doubled", "price * 2"));
        assertThat(accordion().latestVersionSchema()).as("the version that exists").map(Object::toString).contains("public_01_base");
        assertThat(accordion().status().comingVersionSchema()).contains("public_02_doubled");

        accordion().start(migration("02_doubled", "price * 2"), false);

        assertThat(decisions).isEmpty();
        assertThat(accordion().latestVersionSchema()).map(Object::toString).contains("public_02_doubled");
        assertThat(accordion().status().comingVersionSchema()).isEmpty();
        assertThat(db.queryStrings("SELECT sum(doubled) FROM items")).containsExactly("10100");
    }

    /** Starts the migration while another session holds a lock on the table, so that its start fails on that table. */
    private void failWhileLocked(String table, Migration migration) throws SQLException {
        try (Connection holder = db.connect(); Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            statement.execute("LOCK TABLE " + table + " IN ACCESS SHARE MODE");
            assertThatThrownBy(() -> accordion().start(migration, false))
                    .isInstanceOfSatisfying(AccordionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT));
            holder.rollback();
        }
        assertThat(db.queryStrings("SELECT status FROM accordion.migrations WHERE name = '" + migration.name() + "'"))
                .containsExactly("starting");
    }

    private Accordion accordion() {
        return Accordion.configure().clientWatch(java.time.Duration.ZERO).connections(db::connect).lockTimeout(Duration.ofMillis(50))
                .lockRetryDeadline(Duration.ofMillis(400)).listener(new ExecutionListener() {
                    @Override
                    public void decided(String migration, String decision) {
                        decisions.add(decision);
                    }
                }).load();
    }

    private static Migration migration(String name, String up) {
        return twoOperations(name, up, "");
    }

    private static Migration twoOperations(String name, String up, String more) {
        return MigrationReader.parseYaml(name, """
                operations:
                  - add_column:
                      table: items
                      up: %s
                      column: {name: doubled, type: integer, nullable: true}
                %s""".formatted(up, more));
    }
}
