package dev.accordion.postgres.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.postgres.testing.TestDatabase;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The seed's third scenario: products.price goes from integer cents to numeric(10,2) dollars while both versions write. */
class AlterColumnTypeLifecycleTest {

    private static final String PRICE_IN_DOLLARS = """
            operations:
              - alter_column:
                  table: products
                  column: price
                  type: numeric(10,2)
                  up: price / 100.0
                  down: (price * 100)::integer
            """;

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private Lifecycle lifecycle;

    @BeforeEach
    void productsPricedInCents() throws Exception {
        lifecycle = new Lifecycle(db);
        lifecycle.given("01_products", """
                operations:
                  - create_table:
                      name: products
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: name, type: text}
                        - {name: price, type: integer}
                """);
        db.execute("INSERT INTO public.products (name, price) SELECT 'product ' || n, n * 100 + 99 FROM generate_series(1, 2500) n");
    }

    @Test
    void bothVersionsWriteTheirOwnUnitAndSeeTheOthersWrites() throws Exception {
        lifecycle.run("02_price_in_dollars", PRICE_IN_DOLLARS,
                (v1, v2) -> {
                    assertThat(v1.rows("SELECT price FROM products WHERE id = 7")).containsExactly(Map.of("price", 799));
                    assertThat(v2.rows("SELECT price FROM products WHERE id = 7")).containsExactly(Map.of("price", new BigDecimal("7.99")));
                    assertThat(v2.rows("SELECT count(*) AS n FROM products WHERE price IS NULL")).containsExactly(Map.of("n", 0L));
                    assertThat(db.queryStrings("SELECT rows_done FROM accordion.checkpoints "
                            + "WHERE migration = '02_price_in_dollars' AND step_id LIKE '%/backfill'"))
                            .as("each row visited once").containsExactly("2500");

                    v1.execute("INSERT INTO products (name, price) VALUES ('from v1', 1250)");
                    v2.execute("INSERT INTO products (name, price) VALUES ('from v2', 3.75)");
                    assertThat(v2.rows("SELECT name, price FROM products WHERE id > 2500 ORDER BY id")).containsExactly(
                            Map.of("name", "from v1", "price", new BigDecimal("12.50")),
                            Map.of("name", "from v2", "price", new BigDecimal("3.75")));
                    assertThat(v1.rows("SELECT name, price FROM products WHERE id > 2500 ORDER BY id")).containsExactly(
                            Map.of("name", "from v1", "price", 1250), Map.of("name", "from v2", "price", 375));

                    v1.execute("UPDATE products SET price = 100 WHERE id = 1");
                    v2.execute("UPDATE products SET price = 2.50 WHERE id = 2");
                    v1.execute("UPDATE products SET name = 'renamed by v1' WHERE id = 3");
                    assertThat(v2.rows("SELECT id, price FROM products WHERE id <= 3 ORDER BY id")).containsExactly(
                            Map.of("id", 1, "price", new BigDecimal("1.00")), Map.of("id", 2, "price", new BigDecimal("2.50")),
                            Map.of("id", 3, "price", new BigDecimal("3.99")));
                    assertThat(v1.rows("SELECT id, price FROM products WHERE id <= 3 ORDER BY id")).containsExactly(
                            Map.of("id", 1, "price", 100), Map.of("id", 2, "price", 250), Map.of("id", 3, "price", 399));
                    v1.execute("DELETE FROM products WHERE id > 2500");
                    v1.execute("UPDATE products SET price = 199 WHERE id = 1");
                    v1.execute("UPDATE products SET price = 299, name = 'product 2' WHERE id = 2");
                    v1.execute("UPDATE products SET name = 'product 3' WHERE id = 3");
                },
                (v1, v2) -> {
                    assertThat(v1.columns("products")).containsExactly("id", "name", "price");
                    assertThat(db.queryString("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                            + "WHERE attrelid = 'public.products'::regclass AND attname = 'price'")).isEqualTo("integer");
                    assertThat(v1.rows("SELECT sum(price) AS total FROM products")).containsExactly(Map.of("total", expectedCents()));
                },
                (v1, v2) -> {
                    assertThat(db.queryStrings("SELECT attname || ' ' || format_type(atttypid, atttypmod) FROM pg_attribute "
                            + "WHERE attrelid = 'public.products'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"))
                            .containsExactly("id integer", "name text", "price numeric(10,2)");
                    assertThat(v2.rows("SELECT sum(price) AS total FROM products"))
                            .containsExactly(Map.of("total", BigDecimal.valueOf(expectedCents(), 2)));
                    v2.execute("INSERT INTO products (name, price) VALUES ('after complete', 9.99)");
                    assertThat(db.queryStrings("SELECT price::text FROM public.products WHERE name = 'after complete'"))
                            .isEqualTo(List.of("9.99"));
                });
    }

    private static long expectedCents() {
        long total = 0;
        for (int n = 1; n <= 2500; n++) {
            total += n * 100L + 99;
        }
        return total;
    }
}
