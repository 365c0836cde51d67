package dev.accordion.postgres.lifecycle;

import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.assertFailsWith;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.assertRefused;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.constraints;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.indexes;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.lines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.ErrorCode;
import dev.accordion.postgres.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * rename_constraint: constraint names are in no view, so both versions keep the constraint enforced
 * under its old name until complete renames it (and the index of an index-backed one); rollback
 * leaves the old name.
 */
class RenameConstraintLifecycleTest {

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private Lifecycle lifecycle;

    @BeforeEach
    void users() throws Exception {
        lifecycle = new Lifecycle(db);
        lifecycle.given("01_users", """
                operations:
                  - create_table:
                      name: users
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: email, type: text, nullable: true}
                        - {name: age, type: integer, nullable: true}
                      constraints:
                        - {name: users_email_unique, type: unique, columns: [email]}
                        - {name: users_age_check, type: check, check: "age >= 0"}
                """);
        db.execute("CREATE INDEX users_age_idx ON public.users (age)");
        lifecycle.version("01_users").execute("INSERT INTO users (email, age) VALUES ('ada@example.com', 36)");
    }

    @Test
    void checkConstraintIsEnforcedUnderBothVersionsAndRenamedAtComplete() throws Exception {
        lifecycle.run("02_rename_check", """
                operations:
                  - rename_constraint: {table: users, from: users_age_check, to: users_age_not_negative}
                """,
                (v1, v2) -> {
                    assertThat(constraints(db, "users")).contains("users_age_check").doesNotContain("users_age_not_negative");
                    assertFailsWith("23514", () -> v1.execute("INSERT INTO users (age) VALUES (-1)"));
                    assertFailsWith("23514", () -> v2.execute("UPDATE users SET age = -1"));
                    v1.execute("INSERT INTO users (age) VALUES (1)");
                    v2.execute("INSERT INTO users (age) VALUES (2)");
                    assertThat(lines(v2.rows("SELECT age FROM users ORDER BY id"))).containsExactly("36", "1", "2");
                    v1.execute("DELETE FROM users WHERE age < 36");
                },
                (v1, v2) -> assertThat(constraints(db, "users"))
                        .containsExactly("users_age_check", "users_email_unique", "users_pkey"),
                (v1, v2) -> {
                    assertThat(constraints(db, "users")).containsExactly("users_age_not_negative", "users_email_unique", "users_pkey");
                    assertThat(db.queryString("SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                            + "WHERE conrelid = 'public.users'::regclass AND conname = 'users_age_not_negative'"))
                            .isEqualTo("CHECK ((age >= 0))");
                    assertFailsWith("23514", () -> v2.execute("INSERT INTO users (age) VALUES (-1)"));
                });
    }

    @Test
    void uniqueConstraintIsRenamedTogetherWithItsIndex() throws Exception {
        lifecycle.run("02_rename_unique", """
                operations:
                  - rename_constraint: {table: users, from: users_email_unique, to: users_email_key}
                """,
                (v1, v2) -> {
                    assertFailsWith("23505", () -> v1.execute("INSERT INTO users (email) VALUES ('ada@example.com')"));
                    assertFailsWith("23505", () -> v2.execute("INSERT INTO users (email) VALUES ('ada@example.com')"));
                    v2.execute("INSERT INTO users (email) VALUES ('grace@example.com')");
                    assertFailsWith("23505", () -> v1.execute("UPDATE users SET email = 'grace@example.com' WHERE age = 36"));
                    v1.execute("DELETE FROM users WHERE email = 'grace@example.com'");
                },
                (v1, v2) -> {
                    assertThat(constraints(db, "users")).containsExactly("users_age_check", "users_email_unique", "users_pkey");
                    assertThat(indexes(db, "users")).containsExactly("users_age_idx", "users_email_unique", "users_pkey");
                },
                (v1, v2) -> {
                    assertThat(db.queryString("SELECT conname || ' ' || conindid::regclass || ' ' || pg_get_constraintdef(oid) "
                            + "FROM pg_constraint WHERE conrelid = 'public.users'::regclass AND contype = 'u'"))
                            .isEqualTo("users_email_key users_email_key UNIQUE (email)");
                    assertThat(indexes(db, "users")).containsExactly("users_age_idx", "users_email_key", "users_pkey");
                    assertFailsWith("23505", () -> v2.execute("INSERT INTO users (email) VALUES ('ada@example.com')"));
                });
    }

    @Test
    void unknownConstraintIsRefused() {
        assertRefused(db, lifecycle, "02_bad", """
                operations:
                  - rename_constraint: {table: users, from: users_name_check, to: users_name_ok}
                """, ErrorCode.INVALID_MIGRATION, "constraint \"users_name_check\" does not exist on table \"users\"",
                "\"users_age_check\"");
    }

    @Test
    void nameOfAnotherConstraintIsRefused() {
        assertRefused(db, lifecycle, "02_bad", """
                operations:
                  - rename_constraint: {table: users, from: users_age_check, to: users_email_unique}
                """, ErrorCode.INVALID_MIGRATION, "constraint \"users_email_unique\" already exists");
    }

    @Test
    void indexBackedConstraintCannotTakeTheNameOfAnIndex() {
        assertRefused(db, lifecycle, "02_bad", """
                operations:
                  - rename_constraint: {table: users, from: users_email_unique, to: users_age_idx}
                """, ErrorCode.INVALID_MIGRATION, "\"users_age_idx\"", "taken by a table or index");
    }
}
