package dev.accordion.postgres.lifecycle;

import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.assertFailsWith;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.assertRefused;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.lines;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.tableColumns;
import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.ErrorCode;
import dev.accordion.postgres.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * drop_constraint and drop_multicolumn_constraint: the new version writes through shadow columns without the
 * constraint, down turns its writes into values the old version's constraint accepts; complete drops the old columns
 * and the constraint with them. Also the refusals of the three constraint operations.
 */
class DropConstraintLifecycleTest {

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private Lifecycle lifecycle;

    @BeforeEach
    void postsAndTickets() {
        lifecycle = new Lifecycle(db);
        lifecycle.given("01_scene", """
                operations:
                  - create_table:
                      name: posts
                      columns:
                        - {name: id, type: serial, pk: true}
                        - name: title
                          type: text
                          check: {name: title_length, constraint: length(title) > 3}
                  - create_table:
                      name: tickets
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: seller, type: text}
                        - {name: zip, type: integer}
                      constraints:
                        - {name: seller_zip_check, type: check, columns: [seller, zip], check: "seller = 'alice' OR zip > 0"}
                """);
        db.execute("INSERT INTO public.posts (title) VALUES ('long title'), ('four')");
        db.execute("INSERT INTO public.tickets (seller, zip) VALUES ('alice', -1), ('bob', 5)");
    }

    @Test
    void newVersionWritesWhatTheCheckForbadeAndDownKeepsTheOldVersionValid() throws Exception {
        lifecycle.run("02_drop_title_length", """
                operations:
                  - drop_constraint:
                      table: posts
                      name: title_length
                      up: title
                      down: SELECT CASE WHEN length(title) <= 3 THEN LPAD(title, 4, '-') ELSE title END
                """, (v1, v2) -> {
                    assertThat(lines(v2.rows("SELECT id, title FROM posts ORDER BY id"))).containsExactly("1|long title", "2|four");
                    v2.execute("INSERT INTO posts (id, title) VALUES (10, 'ab')");
                    assertThat(lines(v1.rows("SELECT title FROM posts WHERE id = 10"))).containsExactly("--ab");
                    assertThat(lines(v2.rows("SELECT title FROM posts WHERE id = 10"))).containsExactly("ab");
                    assertFailsWith("23514", () -> v1.execute("INSERT INTO posts (title) VALUES ('ab')"));
                    v1.execute("UPDATE posts SET title = 'changed by v1' WHERE id = 1");
                    assertThat(lines(v2.rows("SELECT title FROM posts WHERE id = 1"))).containsExactly("changed by v1");
                    v1.execute("UPDATE posts SET title = 'long title' WHERE id = 1");
                    v1.execute("DELETE FROM posts WHERE id = 10");
                }, (v1, v2) -> assertThat(constraintDefs("posts")).containsExactly("posts_pkey PRIMARY KEY (id)",
                        "title_length CHECK ((length(title) > 3))"),
                (v1, v2) -> {
                    assertThat(tableColumns(db, "posts")).containsExactly("id", "title");
                    assertThat(constraintDefs("posts")).containsExactly("posts_pkey PRIMARY KEY (id)");
                    v2.execute("INSERT INTO posts (title) VALUES ('ab')");
                    assertThat(lines(v2.rows("SELECT title FROM posts ORDER BY id"))).containsExactly("long title", "four", "ab");
                });
    }

    @Test
    void multiColumnCheckGoesWithBothColumns() throws Exception {
        lifecycle.run("02_drop_seller_zip_check", """
                operations:
                  - drop_multicolumn_constraint:
                      table: tickets
                      name: seller_zip_check
                      up:
                        seller: seller
                        zip: zip
                      down:
                        zip: CASE WHEN seller <> 'alice' AND zip <= 0 THEN 1 ELSE zip END
                """, (v1, v2) -> {
                    v2.execute("INSERT INTO tickets (id, seller, zip) VALUES (10, 'carol', -7)");
                    assertThat(lines(v1.rows("SELECT seller, zip FROM tickets WHERE id = 10"))).containsExactly("carol|1");
                    assertThat(lines(v2.rows("SELECT seller, zip FROM tickets WHERE id = 10"))).containsExactly("carol|-7");
                    v1.execute("INSERT INTO tickets (id, seller, zip) VALUES (11, 'dave', 9)");
                    assertThat(lines(v2.rows("SELECT seller, zip FROM tickets WHERE id = 11"))).containsExactly("dave|9");
                    v1.execute("DELETE FROM tickets WHERE id >= 10");
                }, (v1, v2) -> assertThat(tableColumns(db, "tickets")).containsExactly("id", "seller", "zip"),
                (v1, v2) -> {
                    assertThat(tableColumns(db, "tickets")).containsExactly("id", "seller", "zip");
                    assertThat(constraintDefs("tickets")).containsExactly("tickets_pkey PRIMARY KEY (id)");
                    assertThat(lines(v2.rows("SELECT seller, zip FROM tickets ORDER BY id"))).containsExactly("alice|-1", "bob|5");
                });
    }

    @Test
    void dropConstraintOfSeveralColumnsIsRefusedWithAPointerToTheMultiColumnOperation() {
        assertRefused(db, lifecycle, "02_drop", """
                operations:
                  - drop_constraint: {table: tickets, name: seller_zip_check}
                """, ErrorCode.INVALID_MIGRATION, "seller_zip_check", "drop_multicolumn_constraint");
    }

    @Test
    void unknownConstraintIsRefused() {
        assertRefused(db, lifecycle, "02_drop", """
                operations:
                  - drop_multicolumn_constraint: {table: tickets, name: no_such_check}
                """, ErrorCode.INVALID_MIGRATION, "no_such_check", "seller_zip_check");
    }

    @Test
    void upNamingAColumnOutsideTheConstraintIsRefused() {
        assertRefused(db, lifecycle, "02_drop", """
                operations:
                  - drop_multicolumn_constraint:
                      table: tickets
                      name: seller_zip_check
                      up: {id: id}
                """, ErrorCode.INVALID_MIGRATION, "up names column \"id\"", "seller_zip_check");
    }

    @Test
    void createConstraintOnAnUnknownColumnIsRefused() {
        assertRefused(db, lifecycle, "02_create", """
                operations:
                  - create_constraint: {type: unique, table: tickets, name: tickets_code_key, columns: [code]}
                """, ErrorCode.INVALID_MIGRATION, "\"code\"", "tickets");
    }

    @Test
    void createConstraintWithATakenNameIsRefused() {
        assertRefused(db, lifecycle, "02_create", """
                operations:
                  - create_constraint: {type: unique, table: tickets, name: posts_pkey, columns: [zip]}
                """, ErrorCode.INVALID_MIGRATION, "posts_pkey", "already exists");
    }

    @Test
    void createConstraintWhoseUpNamesAnUnknownColumnIsRefused() {
        assertRefused(db, lifecycle, "02_create", """
                operations:
                  - create_constraint:
                      type: unique
                      table: posts
                      name: posts_title_key
                      columns: [id]
                      up: {nonsense: title}
                """, ErrorCode.INVALID_MIGRATION, "up names column \"nonsense\"", "posts_title_key");
    }

    @Test
    void createConstraintWhoseUpDoesNotCompileIsRefused() {
        assertRefused(db, lifecycle, "02_create", """
                operations:
                  - create_constraint:
                      type: check
                      table: tickets
                      name: zip_positive
                      columns: [zip]
                      check: zip > 0
                      up: {zip: "abs(no_such_column)"}
                """, ErrorCode.INVALID_MIGRATION, "up of column \"zip\"", "no_such_column");
    }

    @Test
    void createConstraintOnAColumnThatAnExpressionIndexUsesIsRefused() {
        db.execute("CREATE INDEX tickets_double_zip ON public.tickets ((zip * 2))");
        assertRefused(db, lifecycle, "02_create", """
                operations:
                  - create_constraint: {type: unique, table: tickets, name: tickets_zip_key, columns: [zip]}
                """, ErrorCode.INVALID_MIGRATION, "index tickets_double_zip uses column \"zip\" in an expression",
                "drop the index first");
    }

    private List<String> constraintDefs(String table) {
        return db.queryStrings("SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint "
                + "WHERE conrelid = 'public." + table + "'::regclass ORDER BY conname");
    }
}
