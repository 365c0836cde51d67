package dev.accordion.postgres.lifecycle;

import static dev.accordion.postgres.lifecycle.TableLifecycleSupport.assertRefused;
import static dev.accordion.postgres.lifecycle.TableLifecycleSupport.assertRejected;
import static dev.accordion.postgres.lifecycle.TableLifecycleSupport.constraints;
import static dev.accordion.postgres.lifecycle.TableLifecycleSupport.relations;
import static dev.accordion.postgres.lifecycle.TableLifecycleSupport.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.postgres.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * drop_table: until complete the table is only renamed aside, so the old version keeps reading and
 * writing it (with its constraints) while the new version no longer sees it; rollback brings it
 * back with every row, complete drops it with its sequence and indexes.
 */
class DropTableLifecycleTest {

    private static final String DROP_ORDERS = """
            operations:
              - drop_table: {name: orders}
            """;

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private Lifecycle lifecycle;

    @BeforeEach
    void setUp() throws Exception {
        lifecycle = new Lifecycle(db);
        lifecycle.given("01_base", """
                operations:
                  - create_table:
                      name: customers
                      columns:
                        - {name: id, type: integer, pk: true}
                        - {name: name, type: text}
                  - create_table:
                      name: orders
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: customer_id, type: integer, references: {name: orders_customer_fk, table: customers, column: id}}
                        - {name: code, type: text, unique: true}
                        - {name: amount, type: integer, check: {name: amount_positive, constraint: "amount > 0"}}
                  - create_index: {name: orders_amount_idx, table: orders, columns: [amount]}
                """);
        VersionClient v1 = lifecycle.version("01_base");
        v1.execute("INSERT INTO customers (id, name) VALUES (1, 'Ada'), (2, 'Grace')");
        v1.execute("INSERT INTO orders (customer_id, code, amount) VALUES (1, 'o-1', 10), (2, 'o-2', 20)");
    }

    @Test
    void oldVersionKeepsUsingTheTableWhileTheNewOneNoLongerSeesIt() throws Exception {
        lifecycle.run("02_drop_orders", DROP_ORDERS, (v1, v2) -> {
            assertThat(v2.columns("orders")).isEmpty();
            assertRejected("42P01", () -> v2.rows("SELECT * FROM orders"));
            assertThat(v2.columns("customers")).containsExactly("id", "name");
            assertThat(v1.columns("orders")).containsExactly("id", "customer_id", "code", "amount");
            v1.execute("INSERT INTO orders (customer_id, code, amount) VALUES (2, 'o-3', 30)");
            v1.execute("UPDATE orders SET amount = 11 WHERE code = 'o-1'");
            assertThat(v1.rows("SELECT code, amount FROM orders ORDER BY id")).containsExactly(
                    row("code", "o-1", "amount", 11), row("code", "o-2", "amount", 20), row("code", "o-3", "amount", 30));
            // the table keeps its constraints while it waits aside
            assertRejected("23505", () -> v1.execute("INSERT INTO orders (customer_id, code, amount) VALUES (1, 'o-1', 5)"));
            assertRejected("23514", () -> v1.execute("INSERT INTO orders (customer_id, code, amount) VALUES (1, 'o-9', 0)"));
            assertRejected("23503", () -> v1.execute("INSERT INTO orders (customer_id, code, amount) VALUES (7, 'o-9', 5)"));
            v1.execute("DELETE FROM orders WHERE code = 'o-3'");
        }, (v1, v2) -> {
            assertThat(relations(db, "public")).contains("orders r", "orders_pkey i", "orders_code_key i", "orders_amount_idx i",
                    "orders_id_seq S");
            assertThat(v1.rows("SELECT id, code, amount FROM orders ORDER BY id")).containsExactly(
                    row("id", 1, "code", "o-1", "amount", 11), row("id", 2, "code", "o-2", "amount", 20));
            assertThat(constraints(db, "orders")).extracting(c -> c.split(" ")[0])
                    .containsExactly("amount_positive", "orders_code_key", "orders_customer_fk", "orders_pkey");
            v1.execute("INSERT INTO orders (customer_id, code, amount) VALUES (1, 'o-4', 40)");
            // the sequence came back too, past the ids the rejected inserts took
            assertThat(v1.rows("SELECT id FROM orders WHERE code = 'o-4'")).containsExactly(row("id", 7));
            v1.execute("DELETE FROM orders WHERE code = 'o-4'");
        }, (v1, v2) -> {
            assertThat(relations(db, "public")).noneMatch(r -> r.contains("orders"));
            assertThat(db.queryStrings("SELECT conname FROM pg_constraint WHERE confrelid = 'public.customers'::regclass"))
                    .as("foreign keys pointing at customers").isEmpty();
            assertThat(v2.columns("orders")).isEmpty();
            assertThat(v2.rows("SELECT id, name FROM customers ORDER BY id")).containsExactly(
                    row("id", 1, "name", "Ada"), row("id", 2, "name", "Grace"));
            v2.execute("DELETE FROM customers WHERE id = 1");    // no foreign key holds it any more
        });
    }

    @Test
    void theNewVersionMayCreateATableOfTheDroppedName() throws Exception {
        lifecycle.run("02_replace_orders", """
                operations:
                  - drop_table: {name: orders}
                  - create_table:
                      name: orders
                      columns:
                        - {name: order_no, type: text, pk: true}
                        - {name: total, type: integer}
                """, (v1, v2) -> {
            assertThat(v1.columns("orders")).containsExactly("id", "customer_id", "code", "amount");
            assertThat(v2.columns("orders")).containsExactly("order_no", "total");
            v1.execute("INSERT INTO orders (customer_id, code, amount) VALUES (2, 'o-3', 30)");
            v2.execute("INSERT INTO orders (order_no, total) VALUES ('n-1', 100)");
            assertThat(v1.rows("SELECT code FROM orders ORDER BY id")).extracting(r -> r.get("code")).containsExactly("o-1", "o-2", "o-3");
            assertThat(v2.rows("SELECT order_no FROM orders")).containsExactly(row("order_no", "n-1"));
        }, (v1, v2) -> {
            assertThat(db.queryStrings("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                    + "AND table_name = 'orders' ORDER BY ordinal_position")).containsExactly("id", "customer_id", "code", "amount");
            assertThat(v1.rows("SELECT code FROM orders ORDER BY id")).extracting(r -> r.get("code")).containsExactly("o-1", "o-2", "o-3");
            v1.execute("DELETE FROM orders WHERE code = 'o-3'");
        }, (v1, v2) -> {
            assertThat(db.queryStrings("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                    + "AND table_name = 'orders' ORDER BY ordinal_position")).containsExactly("order_no", "total");
            assertThat(v2.rows("SELECT order_no, total FROM orders")).containsExactly(row("order_no", "n-1", "total", 100));
            // while the dropped table waited aside it held "orders_pkey", so PostgreSQL named the new key's index after it
            assertThat(constraints(db, "orders")).containsExactly("orders_pkey1 p PRIMARY KEY (order_no)");
        });
    }

    @Test
    void droppingAnUnknownTableIsRefused() {
        assertThat(assertRefused(lifecycle, db, "02_drop_unknown", """
                operations:
                  - drop_table: {name: invoices}
                """)).containsExactly("operation 1 (drop_table): table \"invoices\" does not exist (tables: \"customers\", \"orders\")");
    }

    @Test
    void droppingATableThatForeignKeysReferenceIsRefusedNamingThem() {
        assertThat(assertRefused(lifecycle, db, "02_drop_customers", """
                operations:
                  - drop_table: {name: customers}
                """)).containsExactly("operation 1 (drop_table): table \"customers\" is referenced by foreign keys of \"orders\"; "
                + "drop those constraints first (drop_constraint)");
    }

    @Test
    void droppingATableAUserViewDependsOnIsRefusedNamingTheView() {
        db.execute("CREATE VIEW public.big_orders AS SELECT id FROM public.orders WHERE amount > 15");
        assertThat(assertRefused(lifecycle, db, "02_drop_orders", DROP_ORDERS)).containsExactly("operation 1 (drop_table): "
                + "view public.big_orders depends on table \"orders\"; drop or change that view first, or it would stop complete");
    }
}
