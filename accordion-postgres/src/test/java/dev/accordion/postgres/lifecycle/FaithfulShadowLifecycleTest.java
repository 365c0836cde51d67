package dev.accordion.postgres.lifecycle;

import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.assertFailsWith;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.assertRefused;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.lines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.ErrorCode;
import dev.accordion.postgres.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A shadow column carries what its column had (DESIGN §5, "Faithful shadow columns"): CHECK, UNIQUE, FOREIGN KEY,
 * indexes with their options, primary-key membership with the foreign keys of other tables that reference it, and the
 * serial's sequence; each holds while both versions write, and after complete has its original name and definition.
 */
class FaithfulShadowLifecycleTest {

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private Lifecycle lifecycle;

    @BeforeEach
    void productsWithEverything() throws Exception {
        lifecycle = new Lifecycle(db);
        lifecycle.given("01_products", """
                operations:
                  - sql:
                      up: |
                        CREATE TABLE categories (id integer PRIMARY KEY, label text);
                        CREATE TABLE products (
                          id serial PRIMARY KEY,
                          code text NOT NULL CONSTRAINT products_code_key UNIQUE,
                          price integer NOT NULL CONSTRAINT products_price_positive CHECK (price > 0),
                          category integer CONSTRAINT products_category_fkey REFERENCES categories (id) ON DELETE SET NULL
                        );
                        CREATE INDEX products_price_idx ON products (price DESC NULLS LAST) INCLUDE (code) WITH (fillfactor = 70);
                        CREATE INDEX products_code_pattern_idx ON products (code text_pattern_ops);
                        CREATE TABLE order_lines (
                          id serial PRIMARY KEY,
                          product integer NOT NULL CONSTRAINT order_lines_product_fkey REFERENCES products (id) ON DELETE CASCADE
                        );
                """);
        db.execute("""
                INSERT INTO public.categories VALUES (1, 'one'), (3, 'three'), (5, 'five');
                INSERT INTO public.products (code, price, category) VALUES ('a', 100, 1), ('b', 200, NULL), ('c', 300, 3);
                INSERT INTO public.order_lines (product) VALUES (1), (1), (3);
                """);
    }

    @Test
    void checkAndIndexCarryOverToANewType() throws Exception {
        List<String> before = definitions();
        lifecycle.run("02_price_bigint", """
                operations:
                  - alter_column: {table: products, column: price, type: bigint}
                """,
                (v1, v2) -> {
                    assertThat(db.queryStrings("SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                            + "WHERE conname = '_acc_c_products_price_positive'")).containsExactly("CHECK ((_acc_new_price > 0)) NOT VALID");
                    assertThat(db.queryStrings("SELECT pg_get_indexdef('public._acc_ix_products_price_idx'::regclass)")).containsExactly(
                            "CREATE INDEX _acc_ix_products_price_idx ON public.products USING btree (_acc_new_price DESC NULLS LAST) "
                                    + "INCLUDE (code) WITH (fillfactor='70')");
                    assertFailsWith("23514", () -> v1.execute("INSERT INTO products (code, price) VALUES ('v1', 0)"));
                    assertFailsWith("23514", () -> v2.execute("INSERT INTO products (code, price) VALUES ('v2', 0)"));
                    v2.execute("INSERT INTO products (id, code, price) VALUES (10, 'v2', 5000000)");
                    assertThat(lines(v1.rows("SELECT id, price FROM products WHERE id = 10"))).containsExactly("10|5000000");
                    v1.execute("DELETE FROM products WHERE id = 10");
                },
                (v1, v2) -> assertThat(definitions()).isEqualTo(before),
                (v1, v2) -> {
                    assertThat(definitions()).isEqualTo(before.stream()
                            .map(d -> d.equals("column products.price integer") ? "column products.price bigint" : d).toList());
                    assertFailsWith("23514", () -> v2.execute("INSERT INTO products (code, price) VALUES ('v2', -1)"));
                });
    }

    @Test
    void uniqueConstraintAndOperatorClassIndexFollowARename() throws Exception {
        lifecycle.run("02_sku", """
                operations:
                  - alter_column: {table: products, column: code, name: sku, default: "'none'"}
                """,
                (v1, v2) -> {
                    assertFailsWith("23505", () -> v1.execute("INSERT INTO products (code, price) VALUES ('a', 1)"));
                    assertFailsWith("23505", () -> v2.execute("INSERT INTO products (sku, price) VALUES ('b', 1)"));
                    v2.execute("INSERT INTO products (id, price) VALUES (10, 7)");
                    assertThat(lines(v1.rows("SELECT id, code FROM products WHERE id = 10"))).containsExactly("10|none");
                    v1.execute("DELETE FROM products WHERE id = 10");
                },
                Lifecycle.NOTHING,
                (v1, v2) -> {
                    assertThat(db.queryStrings("SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint "
                            + "WHERE conrelid = 'public.products'::regclass AND contype = 'u'")).containsExactly("products_code_key UNIQUE (sku)");
                    assertThat(db.queryStrings("SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'public.products'::regclass "
                            + "AND indexrelid::regclass::text IN ('products_code_key', 'products_code_pattern_idx') ORDER BY 1")).containsExactly(
                            "CREATE INDEX products_code_pattern_idx ON public.products USING btree (sku text_pattern_ops)",
                            "CREATE UNIQUE INDEX products_code_key ON public.products USING btree (sku)");
                    assertThat(db.queryStrings("SELECT attname FROM pg_attribute WHERE attrelid IN "
                            + "('public.products_code_key'::regclass, 'public.products_code_pattern_idx'::regclass)")).containsOnly("sku");
                    assertFailsWith("23505", () -> v2.execute("INSERT INTO products (sku, price) VALUES ('a', 1)"));
                });
    }

    @Test
    void foreignKeyFromTheColumnCarriesOver() throws Exception {
        lifecycle.run("02_category_required", """
                operations:
                  - alter_column: {table: products, column: category, nullable: false, up: "coalesce(category, 5)"}
                """,
                (v1, v2) -> {
                    assertThat(lines(v2.rows("SELECT id, category FROM products ORDER BY id"))).containsExactly("1|1", "2|5", "3|3");
                    assertFailsWith("23503", () -> v1.execute("INSERT INTO products (code, price, category) VALUES ('v1', 1, 99)"));
                    assertFailsWith("23503", () -> v2.execute("INSERT INTO products (code, price, category) VALUES ('v2', 1, 98)"));
                    v2.execute("INSERT INTO products (id, code, price, category) VALUES (10, 'v2', 1, 3)");
                    assertThat(lines(v1.rows("SELECT id, category FROM products WHERE id = 10"))).containsExactly("10|3");
                    v1.execute("DELETE FROM products WHERE id = 10");
                },
                Lifecycle.NOTHING,
                (v1, v2) -> {
                    assertThat(db.queryStrings("SELECT format('%s %s valid=%s', conname, pg_get_constraintdef(oid), convalidated::text) "
                            + "FROM pg_constraint WHERE conrelid = 'public.products'::regclass AND contype = 'f'")).containsExactly(
                            "products_category_fkey FOREIGN KEY (category) REFERENCES categories(id) ON DELETE SET NULL valid=true");
                    // ON DELETE SET NULL came along: it now meets the NOT NULL of the new shape
                    assertFailsWith("23502", () -> v2.execute("DELETE FROM categories WHERE id = 5"));
                });
    }

    @Test
    void primaryKeyReferencedByAnotherTableMovesToTheShadowWithItsSequence() throws Exception {
        List<String> before = definitions();
        lifecycle.run("02_id_bigint", """
                operations:
                  - alter_column: {table: products, column: id, type: bigint}
                """,
                (v1, v2) -> {
                    assertThat(db.queryStrings("SELECT pg_get_indexdef('public._acc_ix_products_pkey'::regclass)")).containsExactly(
                            "CREATE UNIQUE INDEX _acc_ix_products_pkey ON public.products USING btree (_acc_new_id)");
                    v1.execute("INSERT INTO products (code, price) VALUES ('v1', 1)");
                    v2.execute("INSERT INTO products (code, price) VALUES ('v2', 2)");
                    // both columns' defaults draw from the one sequence (so it skips values), and the rows agree
                    List<String> seenByV1 = lines(v1.rows("SELECT id, code FROM products WHERE id > 3 ORDER BY id"));
                    assertThat(seenByV1).hasSize(2).first().asString().endsWith("|v1");
                    assertThat(lines(v2.rows("SELECT id, code FROM products WHERE id > 3 ORDER BY id"))).isEqualTo(seenByV1);
                    String v1Id = seenByV1.get(0).split("\\|")[0];
                    String v2Id = seenByV1.get(1).split("\\|")[0];
                    assertFailsWith("23505", () -> v2.execute("INSERT INTO products (id, code, price) VALUES (" + v1Id + ", 'dup', 1)"));
                    v2.execute("INSERT INTO order_lines (product) VALUES (" + v2Id + ")");
                    assertFailsWith("23503", () -> v1.execute("INSERT INTO order_lines (product) VALUES (99)"));
                    v1.execute("DELETE FROM products WHERE id > 3");
                    assertThat(lines(v1.rows("SELECT product FROM order_lines ORDER BY id"))).containsExactly("1", "1", "3");
                    db.execute("SELECT setval('public.products_id_seq', 3)");
                },
                (v1, v2) -> assertThat(definitions()).isEqualTo(before),
                (v1, v2) -> {
                    assertThat(definitions()).isEqualTo(before.stream()
                            .map(d -> d.equals("column products.id integer") ? "column products.id bigint" : d).toList());
                    assertThat(db.queryStrings("SELECT attname FROM pg_attribute WHERE attrelid = 'public.products_pkey'::regclass"))
                            .containsExactly("id");
                    v2.execute("INSERT INTO products (code, price) VALUES ('after', 1)");
                    assertThat(lines(v2.rows("SELECT id FROM products WHERE code = 'after'"))).containsExactly("4");
                    v2.execute("DELETE FROM products WHERE id = 1");
                    assertThat(lines(v2.rows("SELECT product FROM order_lines ORDER BY id"))).containsExactly("3");
                    assertFailsWith("23503", () -> v2.execute("INSERT INTO order_lines (product) VALUES (99)"));
                });
    }

    @Test
    void anIndexOnAnExpressionOfTheColumnIsRefused() {
        db.execute("CREATE INDEX products_lower_code_idx ON public.products (lower(code))");
        assertRefused(db, lifecycle, "02_bad", """
                operations:
                  - alter_column: {table: products, column: code, type: varchar(10)}
                """, ErrorCode.INVALID_MIGRATION, "products_lower_code_idx", "expression or a predicate");
    }

    @Test
    void aForeignKeyThroughAUniqueConstraintIsRefused() {
        db.execute("CREATE TABLE public.labels (code text REFERENCES public.products (code))");
        assertRefused(db, lifecycle, "02_bad", """
                operations:
                  - alter_column: {table: products, column: code, type: varchar(10)}
                """, ErrorCode.INVALID_MIGRATION, "labels_code_fkey of table labels", "through a unique constraint");
    }

    /** Columns with their types, constraints and indexes of products, as the catalog prints them. */
    private List<String> definitions() {
        return db.queryStrings("""
                SELECT format('column %s.%s %s', c.relname, a.attname, format_type(a.atttypid, a.atttypmod))
                FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                WHERE c.oid = 'public.products'::regclass AND a.attnum > 0 AND NOT a.attisdropped
                UNION ALL
                SELECT format('constraint %s %s valid=%s', conname, pg_get_constraintdef(oid), convalidated::text) FROM pg_constraint
                WHERE conrelid IN ('public.products'::regclass, 'public.order_lines'::regclass)
                UNION ALL
                SELECT format('index %s', pg_get_indexdef(indexrelid)) FROM pg_index WHERE indrelid = 'public.products'::regclass
                UNION ALL
                SELECT format('sequence %s', pg_get_serial_sequence('public.products', 'id'))
                ORDER BY 1""");
    }
}
