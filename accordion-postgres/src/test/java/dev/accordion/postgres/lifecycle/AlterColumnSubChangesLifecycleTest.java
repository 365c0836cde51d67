package dev.accordion.postgres.lifecycle;

import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.assertFailsWith;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.lines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.postgres.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * alter_column, one sub-change at a time: while the migration is active both versions write, and each sees its own
 * shape of the other's rows; rollback leaves the column as it was, complete leaves it as the file says.
 */
class AlterColumnSubChangesLifecycleTest {

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
                        - {name: qty, type: integer, nullable: true, default: "1"}
                        - {name: price, type: integer, default: "0"}
                """);
        db.execute("INSERT INTO public.items (name, qty, price) VALUES ('a', 1, 100), ('b', NULL, 200), ('c', 3, 300)");
    }

    @Test
    void typeWithoutUpOrDownConvertsByAssignment() throws Exception {
        lifecycle.run("02_qty_bigint", """
                operations:
                  - alter_column: {table: items, column: qty, type: bigint}
                """,
                (v1, v2) -> {
                    v1.execute("INSERT INTO items (id, name, qty) VALUES (10, 'v1', 5)");
                    v2.execute("INSERT INTO items (id, name, qty) VALUES (11, 'v2', 7)");
                    assertThat(lines(v2.rows("SELECT id, qty, pg_typeof(qty) AS t FROM items ORDER BY id"))).containsExactly(
                            "1|1|bigint", "2|null|bigint", "3|3|bigint", "10|5|bigint", "11|7|bigint");
                    // a value the old type cannot hold cannot be written through the new version while the old one reads it
                    assertFailsWith("22003", () -> v2.execute("UPDATE items SET qty = 9000000000 WHERE id = 11"));
                    v2.execute("UPDATE items SET qty = 12 WHERE id = 11");
                    assertThat(lines(v1.rows("SELECT id, qty, pg_typeof(qty) AS t FROM items WHERE id >= 10 ORDER BY id")))
                            .containsExactly("10|5|integer", "11|12|integer");
                    v1.execute("DELETE FROM items WHERE id >= 10");
                },
                (v1, v2) -> assertThat(columnType("qty")).isEqualTo("integer"),
                (v1, v2) -> {
                    assertThat(columnType("qty")).isEqualTo("bigint");
                    assertThat(lines(v2.rows("SELECT id, qty FROM items ORDER BY id"))).containsExactly("1|1", "2|null", "3|3");
                });
    }

    @Test
    void typeWithUpAndDownConvertsEachWay() throws Exception {
        lifecycle.run("02_qty_text", """
                operations:
                  - alter_column:
                      table: items
                      column: qty
                      type: text
                      up: "'#' || qty"
                      down: substr(qty, 2)::integer
                """,
                (v1, v2) -> {
                    v1.execute("INSERT INTO items (id, name, qty) VALUES (10, 'v1', 5)");
                    v2.execute("INSERT INTO items (id, name, qty) VALUES (11, 'v2', '#7')");
                    assertThat(lines(v2.rows("SELECT id, qty FROM items ORDER BY id")))
                            .containsExactly("1|#1", "2|null", "3|#3", "10|#5", "11|#7");
                    v1.execute("UPDATE items SET qty = 2 WHERE id = 1");
                    v2.execute("UPDATE items SET qty = '#8' WHERE id = 3");
                    assertThat(lines(v1.rows("SELECT id, qty FROM items ORDER BY id")))
                            .containsExactly("1|2", "2|null", "3|8", "10|5", "11|7");
                    assertThat(lines(v2.rows("SELECT id, qty FROM items WHERE id IN (1, 3) ORDER BY id"))).containsExactly("1|#2", "3|#8");
                    v1.execute("DELETE FROM items WHERE id >= 10");
                    v1.execute("UPDATE items SET qty = id WHERE id IN (1, 3)");
                },
                (v1, v2) -> assertThat(columnType("qty")).isEqualTo("integer"),
                (v1, v2) -> {
                    assertThat(columnType("qty")).isEqualTo("text");
                    assertThat(lines(v2.rows("SELECT id, qty FROM items ORDER BY id"))).containsExactly("1|#1", "2|null", "3|#3");
                });
    }

    @Test
    void nameRenamesTheColumnForTheNewVersionOnly() throws Exception {
        lifecycle.run("02_title", """
                operations:
                  - alter_column: {table: items, column: name, name: title}
                """,
                (v1, v2) -> {
                    assertThat(v1.columns("items")).containsExactly("id", "name", "qty", "price");
                    assertThat(v2.columns("items")).containsExactly("id", "title", "qty", "price");
                    v1.execute("INSERT INTO items (id, name) VALUES (10, 'v1')");
                    v2.execute("INSERT INTO items (id, title) VALUES (11, 'v2')");
                    v2.execute("UPDATE items SET title = 'A' WHERE id = 1");
                    assertThat(lines(v1.rows("SELECT id, name FROM items ORDER BY id")))
                            .containsExactly("1|A", "2|b", "3|c", "10|v1", "11|v2");
                    assertThat(lines(v2.rows("SELECT id, title FROM items WHERE id >= 10 ORDER BY id"))).containsExactly("10|v1", "11|v2");
                    v1.execute("DELETE FROM items WHERE id >= 10");
                    v1.execute("UPDATE items SET name = 'a' WHERE id = 1");
                },
                (v1, v2) -> assertThat(ColumnOpsSupport.tableColumns(db, "items")).containsExactly("id", "name", "qty", "price"),
                (v1, v2) -> {
                    assertThat(ColumnOpsSupport.tableColumns(db, "items")).containsExactly("id", "title", "qty", "price");
                    assertThat(lines(v2.rows("SELECT id, title FROM items ORDER BY id"))).containsExactly("1|a", "2|b", "3|c");
                });
    }

    @Test
    void notNullWithUpFillsTheOldVersionsNullsAndRefusesTheNewVersionsNulls() throws Exception {
        lifecycle.run("02_qty_not_null", """
                operations:
                  - alter_column:
                      table: items
                      column: qty
                      nullable: false
                      up: coalesce(qty, 0)
                """,
                (v1, v2) -> {
                    assertThat(lines(v2.rows("SELECT id, qty FROM items ORDER BY id"))).containsExactly("1|1", "2|0", "3|3");
                    v1.execute("INSERT INTO items (id, name, qty) VALUES (10, 'v1', NULL)");
                    v1.execute("UPDATE items SET qty = NULL WHERE id = 1");
                    v1.execute("UPDATE items SET name = 'C' WHERE id = 3");
                    assertThat(lines(v1.rows("SELECT id, qty FROM items ORDER BY id"))).containsExactly("1|null", "2|null", "3|3", "10|null");
                    assertThat(lines(v2.rows("SELECT id, qty FROM items ORDER BY id"))).containsExactly("1|0", "2|0", "3|3", "10|0");
                    assertFailsWith("23514", () -> v2.execute("INSERT INTO items (id, name, qty) VALUES (11, 'v2', NULL)"));
                    v2.execute("INSERT INTO items (id, name, qty) VALUES (11, 'v2', 4)");
                    assertThat(lines(v1.rows("SELECT id, qty FROM items WHERE id = 11"))).containsExactly("11|4");
                    v1.execute("DELETE FROM items WHERE id >= 10");
                    v1.execute("UPDATE items SET qty = 1, name = 'c' WHERE id IN (1, 3)");
                    v1.execute("UPDATE items SET qty = 3 WHERE id = 3");
                },
                (v1, v2) -> assertThat(notNull("qty")).isFalse(),
                (v1, v2) -> {
                    assertThat(notNull("qty")).isTrue();
                    assertThat(ColumnOpsSupport.constraints(db, "items")).containsExactly("items_pkey");
                    assertThat(lines(v2.rows("SELECT id, qty FROM items ORDER BY id"))).containsExactly("1|1", "2|0", "3|3");
                    assertFailsWith("23502", () -> v2.execute("INSERT INTO items (name, qty) VALUES ('v2', NULL)"));
                });
    }

    @Test
    void nullableLetsTheNewVersionWriteNullsThatDownMapsForTheOldVersion() throws Exception {
        lifecycle.run("02_price_nullable", """
                operations:
                  - alter_column:
                      table: items
                      column: price
                      nullable: true
                      down: coalesce(price, -1)
                """,
                (v1, v2) -> {
                    v2.execute("INSERT INTO items (id, name, price) VALUES (11, 'v2', NULL)");
                    v2.execute("UPDATE items SET price = NULL WHERE id = 1");
                    assertThat(lines(v2.rows("SELECT id, price FROM items ORDER BY id")))
                            .containsExactly("1|null", "2|200", "3|300", "11|null");
                    assertThat(lines(v1.rows("SELECT id, price FROM items ORDER BY id"))).containsExactly("1|-1", "2|200", "3|300", "11|-1");
                    assertFailsWith("23502", () -> v1.execute("INSERT INTO items (id, name, price) VALUES (10, 'v1', NULL)"));
                    v1.execute("DELETE FROM items WHERE id >= 10");
                    v1.execute("UPDATE items SET price = 100 WHERE id = 1");
                },
                (v1, v2) -> assertThat(notNull("price")).isTrue(),
                (v1, v2) -> {
                    assertThat(notNull("price")).isFalse();
                    v2.execute("INSERT INTO items (id, name, price) VALUES (12, 'v2', NULL)");
                    assertThat(lines(v2.rows("SELECT id, price FROM items ORDER BY id"))).containsExactly("1|100", "2|200", "3|300", "12|null");
                });
    }

    @Test
    void newDefaultServesTheNewVersionWhileTheOldKeepsItsOwn() throws Exception {
        lifecycle.run("02_price_default", """
                operations:
                  - alter_column: {table: items, column: price, default: "10"}
                """,
                (v1, v2) -> {
                    v1.execute("INSERT INTO items (id, name) VALUES (10, 'v1')");
                    v2.execute("INSERT INTO items (id, name) VALUES (11, 'v2')");
                    assertThat(lines(v1.rows("SELECT id, price FROM items WHERE id >= 10 ORDER BY id"))).containsExactly("10|0", "11|10");
                    assertThat(lines(v2.rows("SELECT id, price FROM items ORDER BY id")))
                            .containsExactly("1|100", "2|200", "3|300", "10|0", "11|10");
                    v1.execute("DELETE FROM items WHERE id >= 10");
                },
                (v1, v2) -> assertThat(columnDefault("price")).isEqualTo("0"),
                (v1, v2) -> {
                    assertThat(columnDefault("price")).isEqualTo("10");
                    assertThat(notNull("price")).isTrue();
                    v2.execute("INSERT INTO items (id, name) VALUES (12, 'v2')");
                    assertThat(lines(v2.rows("SELECT id, price FROM items WHERE id = 12"))).containsExactly("12|10");
                });
    }

    @Test
    void droppedDefaultLeavesTheNewVersionsInsertsNullWhileTheOldKeepsItsDefault() throws Exception {
        lifecycle.run("02_qty_no_default", """
                operations:
                  - alter_column: {table: items, column: qty, default: null}
                """,
                (v1, v2) -> {
                    v1.execute("INSERT INTO items (id, name) VALUES (10, 'v1')");
                    v2.execute("INSERT INTO items (id, name) VALUES (11, 'v2')");
                    assertThat(lines(v1.rows("SELECT id, qty FROM items WHERE id >= 10 ORDER BY id"))).containsExactly("10|1", "11|null");
                    assertThat(lines(v2.rows("SELECT id, qty FROM items ORDER BY id")))
                            .containsExactly("1|1", "2|null", "3|3", "10|1", "11|null");
                    v1.execute("DELETE FROM items WHERE id >= 10");
                },
                (v1, v2) -> assertThat(columnDefault("qty")).isEqualTo("1"),
                (v1, v2) -> {
                    assertThat(columnDefault("qty")).isNull();
                    v2.execute("INSERT INTO items (id, name) VALUES (12, 'v2')");
                    assertThat(lines(v2.rows("SELECT id, qty FROM items WHERE id = 12"))).containsExactly("12|null");
                });
    }

    @Test
    void commentIsSetAndRestoredByRollback() throws Exception {
        db.execute("COMMENT ON COLUMN public.items.name IS 'the old words'");
        lifecycle.run("02_name_comment", """
                operations:
                  - alter_column: {table: items, column: name, comment: what the customer sees}
                """,
                (v1, v2) -> {
                    assertThat(columnComment("name")).isEqualTo("what the customer sees");
                    v1.execute("UPDATE items SET name = 'A' WHERE id = 1");
                    assertThat(lines(v2.rows("SELECT name FROM items WHERE id = 1"))).containsExactly("A");
                    v2.execute("UPDATE items SET name = 'a' WHERE id = 1");
                },
                (v1, v2) -> assertThat(columnComment("name")).isEqualTo("the old words"),
                (v1, v2) -> assertThat(columnComment("name")).isEqualTo("what the customer sees"));
    }

    @Test
    void nullCommentRemovesTheComment() throws Exception {
        db.execute("COMMENT ON COLUMN public.items.name IS 'the old words'");
        lifecycle.run("02_name_no_comment", """
                operations:
                  - alter_column: {table: items, column: name, comment: null}
                """,
                (v1, v2) -> assertThat(columnComment("name")).isNull(),
                (v1, v2) -> assertThat(columnComment("name")).isEqualTo("the old words"),
                (v1, v2) -> assertThat(columnComment("name")).isNull());
    }

    @Test
    void uniqueIsAnIndexOnTheShadowUntilCompleteMakesItTheConstraint() throws Exception {
        lifecycle.run("02_name_unique", """
                operations:
                  - alter_column: {table: items, column: name, unique: {name: items_name_key}}
                """,
                (v1, v2) -> {
                    assertThat(db.queryString("SELECT format('%s valid=%s unique=%s', a.attname, i.indisvalid::text, i.indisunique::text) "
                            + "FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] "
                            + "WHERE i.indexrelid = 'public.items_name_key'::regclass")).isEqualTo("_acc_new_name valid=true unique=true");
                    v1.execute("INSERT INTO items (id, name) VALUES (10, 'v1')");
                    v2.execute("INSERT INTO items (id, name) VALUES (11, 'v2')");
                    assertFailsWith("23505", () -> v1.execute("INSERT INTO items (id, name) VALUES (12, 'v2')"));
                    assertFailsWith("23505", () -> v2.execute("UPDATE items SET name = 'a' WHERE id = 2"));
                    assertThat(lines(v1.rows("SELECT id, name FROM items WHERE id >= 10 ORDER BY id"))).containsExactly("10|v1", "11|v2");
                    assertThat(lines(v2.rows("SELECT id, name FROM items WHERE id >= 10 ORDER BY id"))).containsExactly("10|v1", "11|v2");
                    v1.execute("DELETE FROM items WHERE id >= 10");
                },
                (v1, v2) -> {
                    assertThat(ColumnOpsSupport.indexes(db, "items")).containsExactly("items_pkey");
                    v1.execute("INSERT INTO items (id, name) VALUES (10, 'a')");
                    v1.execute("DELETE FROM items WHERE id = 10");
                },
                (v1, v2) -> {
                    assertThat(db.queryStrings("SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint "
                            + "WHERE conrelid = 'public.items'::regclass ORDER BY 1"))
                            .containsExactly("items_name_key UNIQUE (name)", "items_pkey PRIMARY KEY (id)");
                    assertFailsWith("23505", () -> v2.execute("INSERT INTO items (name) VALUES ('a')"));
                });
    }

    @Test
    void checkHoldsForTheNewVersionWhileUpMapsTheOldVersionsValues() throws Exception {
        lifecycle.run("02_price_positive", """
                operations:
                  - alter_column:
                      table: items
                      column: price
                      check: {name: items_price_positive, constraint: price > 0}
                      up: greatest(price, 1)
                """,
                (v1, v2) -> {
                    v1.execute("INSERT INTO items (id, name, price) VALUES (10, 'v1', -5)");
                    assertFailsWith("23514", () -> v2.execute("INSERT INTO items (id, name, price) VALUES (11, 'v2', -5)"));
                    v2.execute("INSERT INTO items (id, name, price) VALUES (11, 'v2', 5)");
                    assertThat(lines(v1.rows("SELECT id, price FROM items WHERE id >= 10 ORDER BY id"))).containsExactly("10|-5", "11|5");
                    assertThat(lines(v2.rows("SELECT id, price FROM items WHERE id >= 10 ORDER BY id"))).containsExactly("10|1", "11|5");
                    v1.execute("DELETE FROM items WHERE id >= 10");
                },
                (v1, v2) -> assertThat(ColumnOpsSupport.constraints(db, "items")).containsExactly("items_pkey"),
                (v1, v2) -> {
                    assertThat(db.queryStrings("SELECT format('%s %s valid=%s', conname, pg_get_constraintdef(oid), convalidated::text) "
                            + "FROM pg_constraint WHERE conrelid = 'public.items'::regclass ORDER BY 1"))
                            .containsExactly("items_pkey PRIMARY KEY (id) valid=true", "items_price_positive CHECK ((price > 0)) valid=true");
                    assertFailsWith("23514", () -> v2.execute("INSERT INTO items (name, price) VALUES ('v2', 0)"));
                });
    }

    @Test
    void referencesIsAForeignKeyFromTheShadowValidatedAtComplete() throws Exception {
        db.execute("CREATE TABLE public.categories (id integer PRIMARY KEY); INSERT INTO public.categories VALUES (1), (3), (5), (7)");
        lifecycle.run("02_qty_category", """
                operations:
                  - alter_column:
                      table: items
                      column: qty
                      references: {name: items_qty_category_fkey, table: categories, column: id}
                """,
                (v1, v2) -> {
                    assertThat(db.queryString("SELECT format('%s valid=%s', pg_get_constraintdef(oid), convalidated::text) FROM pg_constraint "
                            + "WHERE conname = 'items_qty_category_fkey'"))
                            .isEqualTo("FOREIGN KEY (_acc_new_qty) REFERENCES categories(id) NOT VALID valid=false");
                    v1.execute("INSERT INTO items (id, name, qty) VALUES (10, 'v1', 5)");
                    v2.execute("INSERT INTO items (id, name, qty) VALUES (11, 'v2', 7)");
                    assertFailsWith("23503", () -> v1.execute("INSERT INTO items (id, name, qty) VALUES (12, 'v1', 99)"));
                    assertFailsWith("23503", () -> v2.execute("UPDATE items SET qty = 98 WHERE id = 11"));
                    assertThat(lines(v1.rows("SELECT id, qty FROM items WHERE id >= 10 ORDER BY id"))).containsExactly("10|5", "11|7");
                    assertThat(lines(v2.rows("SELECT id, qty FROM items WHERE id >= 10 ORDER BY id"))).containsExactly("10|5", "11|7");
                    v1.execute("DELETE FROM items WHERE id >= 10");
                },
                (v1, v2) -> assertThat(ColumnOpsSupport.constraints(db, "items")).containsExactly("items_pkey"),
                (v1, v2) -> {
                    assertThat(db.queryStrings("SELECT format('%s %s valid=%s', conname, pg_get_constraintdef(oid), convalidated::text) "
                            + "FROM pg_constraint WHERE conrelid = 'public.items'::regclass ORDER BY 1")).containsExactly(
                            "items_pkey PRIMARY KEY (id) valid=true",
                            "items_qty_category_fkey FOREIGN KEY (qty) REFERENCES categories(id) valid=true");
                    assertFailsWith("23503", () -> v2.execute("INSERT INTO items (name, qty) VALUES ('v2', 2)"));
                });
    }

    private boolean notNull(String column) {
        return "true".equals(db.queryString("SELECT attnotnull::text FROM pg_attribute WHERE attrelid = 'public.items'::regclass "
                + "AND attname = '" + column + "' AND NOT attisdropped"));
    }

    private String columnDefault(String column) {
        return db.queryString("SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a LEFT JOIN pg_attrdef d "
                + "ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attrelid = 'public.items'::regclass "
                + "AND a.attname = '" + column + "' AND NOT a.attisdropped");
    }

    private String columnComment(String column) {
        return db.queryString("SELECT col_description('public.items'::regclass, attnum) FROM pg_attribute "
                + "WHERE attrelid = 'public.items'::regclass AND attname = '" + column + "' AND NOT attisdropped");
    }

    private String columnType(String column) {
        return db.queryString("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'public.items'::regclass "
                + "AND attname = '" + column + "' AND NOT attisdropped");
    }
}
