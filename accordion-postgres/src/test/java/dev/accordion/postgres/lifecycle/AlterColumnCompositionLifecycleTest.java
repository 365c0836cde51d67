package dev.accordion.postgres.lifecycle;

import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.assertFailsWith;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.lines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.postgres.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * alter_column changes that compose: several sub-changes in one operation, and two operations on one column in one
 * migration, where the second builds on the first (one shadow; the second's up reads the first's result, the first's
 * down reads the second's).
 */
class AlterColumnCompositionLifecycleTest {

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private Lifecycle lifecycle;

    @BeforeEach
    void items() throws Exception {
        lifecycle = new Lifecycle(db);
        lifecycle.given("01_items", """
                operations:
                  - create_table:
                      name: items
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: name, type: text}
                        - {name: qty, type: integer, nullable: true}
                """);
        db.execute("INSERT INTO public.items (name, qty) VALUES ('a', 1), ('b', NULL), ('c', 3)");
    }

    @Test
    void typeNameNullableAndDefaultInOneOperation() throws Exception {
        lifecycle.run("02_quantity", """
                operations:
                  - alter_column:
                      table: items
                      column: qty
                      name: quantity
                      type: bigint
                      nullable: false
                      default: "5"
                      up: coalesce(qty, 0)
                """,
                (v1, v2) -> {
                    assertThat(v2.columns("items")).containsExactly("id", "name", "quantity");
                    assertThat(lines(v2.rows("SELECT id, quantity, pg_typeof(quantity) AS t FROM items ORDER BY id")))
                            .containsExactly("1|1|bigint", "2|0|bigint", "3|3|bigint");
                    v1.execute("INSERT INTO items (id, name) VALUES (10, 'v1')");
                    v2.execute("INSERT INTO items (id, name) VALUES (11, 'v2')");
                    assertFailsWith("23514", () -> v2.execute("INSERT INTO items (id, name, quantity) VALUES (12, 'v2', NULL)"));
                    assertThat(lines(v1.rows("SELECT id, qty FROM items WHERE id >= 10 ORDER BY id"))).containsExactly("10|null", "11|5");
                    assertThat(lines(v2.rows("SELECT id, quantity FROM items WHERE id >= 10 ORDER BY id"))).containsExactly("10|0", "11|5");
                    v1.execute("DELETE FROM items WHERE id >= 10");
                },
                (v1, v2) -> assertThat(columnFacts()).containsExactly("id integer notnull=true default=nextval('items_id_seq'::regclass)",
                        "name text notnull=true default=null", "qty integer notnull=false default=null"),
                (v1, v2) -> {
                    assertThat(columnFacts()).containsExactly("id integer notnull=true default=nextval('items_id_seq'::regclass)",
                            "name text notnull=true default=null", "quantity bigint notnull=true default=5");
                    assertThat(lines(v2.rows("SELECT id, quantity FROM items ORDER BY id"))).containsExactly("1|1", "2|0", "3|3");
                });
    }

    @Test
    void secondOperationOnTheSameColumnBuildsOnTheFirst() throws Exception {
        lifecycle.run("02_quantity_in_tenths", """
                operations:
                  - alter_column:
                      table: items
                      column: qty
                      name: quantity
                      type: bigint
                      up: qty * 10
                      down: quantity / 10
                  - alter_column:
                      table: items
                      column: quantity
                      nullable: false
                      default: "1"
                      up: coalesce(quantity, 0) + 1
                      down: quantity - 1
                """,
                (v1, v2) -> {
                    assertThat(lines(v2.rows("SELECT id, quantity, pg_typeof(quantity) AS t FROM items ORDER BY id")))
                            .containsExactly("1|11|bigint", "2|1|bigint", "3|31|bigint");
                    v1.execute("INSERT INTO items (id, name, qty) VALUES (10, 'v1', 4)");
                    v1.execute("INSERT INTO items (id, name, qty) VALUES (11, 'v1', NULL)");
                    v2.execute("INSERT INTO items (id, name, quantity) VALUES (12, 'v2', 51)");
                    v2.execute("INSERT INTO items (id, name) VALUES (13, 'v2')");
                    v2.execute("UPDATE items SET quantity = 71 WHERE id = 1");
                    v1.execute("UPDATE items SET qty = 9 WHERE id = 3");
                    assertThat(lines(v2.rows("SELECT id, quantity FROM items ORDER BY id")))
                            .containsExactly("1|71", "2|1", "3|91", "10|41", "11|1", "12|51", "13|1");
                    assertThat(lines(v1.rows("SELECT id, qty FROM items ORDER BY id")))
                            .containsExactly("1|7", "2|null", "3|9", "10|4", "11|null", "12|5", "13|0");
                    v1.execute("DELETE FROM items WHERE id >= 10");
                    v1.execute("UPDATE items SET qty = id WHERE id IN (1, 3)");
                },
                (v1, v2) -> assertThat(lines(v1.rows("SELECT id, qty FROM items ORDER BY id"))).containsExactly("1|1", "2|null", "3|3"),
                (v1, v2) -> {
                    assertThat(columnFacts()).containsExactly("id integer notnull=true default=nextval('items_id_seq'::regclass)",
                            "name text notnull=true default=null", "quantity bigint notnull=true default=1");
                    assertThat(lines(v2.rows("SELECT id, quantity FROM items ORDER BY id"))).containsExactly("1|11", "2|1", "3|31");
                });
    }

    @Test
    void renameThenChangeInTwoOperationsReadsTheNewName() throws Exception {
        lifecycle.run("02_renamed_then_typed", """
                operations:
                  - alter_column: {table: items, column: qty, name: amount}
                  - alter_column:
                      table: items
                      column: amount
                      type: text
                      up: "'n=' || amount"
                      down: substr(amount, 3)::integer
                """,
                (v1, v2) -> {
                    assertThat(lines(v2.rows("SELECT id, amount FROM items ORDER BY id"))).containsExactly("1|n=1", "2|null", "3|n=3");
                    v1.execute("INSERT INTO items (id, name, qty) VALUES (10, 'v1', 4)");
                    v2.execute("INSERT INTO items (id, name, amount) VALUES (11, 'v2', 'n=8')");
                    assertThat(lines(v1.rows("SELECT id, qty FROM items WHERE id >= 10 ORDER BY id"))).containsExactly("10|4", "11|8");
                    assertThat(lines(v2.rows("SELECT id, amount FROM items WHERE id >= 10 ORDER BY id"))).containsExactly("10|n=4", "11|n=8");
                    v1.execute("DELETE FROM items WHERE id >= 10");
                },
                Lifecycle.NOTHING,
                (v1, v2) -> assertThat(columnFacts()).contains("amount text notnull=false default=null"));
    }

    private java.util.List<String> columnFacts() {
        return db.queryStrings("""
                SELECT format('%s %s notnull=%s default=%s', a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull::text,
                              coalesce(pg_get_expr(d.adbin, d.adrelid), 'null'))
                FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE a.attrelid = 'public.items'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""");
    }
}
