package dev.accordion.postgres.lifecycle;

import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.migration.MigrationReader;
import dev.accordion.postgres.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Complete's agreement check with sync expressions that give another value each time they run (issue 11): recomputing
 * them cannot tell whether a row was written through the trigger, so the check leaves those columns out instead of
 * refusing every row, and still catches a write around the trigger through the columns it can recompute.
 */
class VolatileUpAgreementTest {

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private Lifecycle lifecycle;

    @BeforeEach
    void products() throws Exception {
        lifecycle = new Lifecycle(db);
        lifecycle.given("01_products", """
                operations:
                  - create_table:
                      name: products
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: price, type: integer}
                        - {name: stock, type: integer}
                """);
        db.execute("CREATE SEQUENCE public.tickets", "INSERT INTO public.products (price, stock) SELECT 100 + i, i FROM generate_series(1, 200) AS i");
    }

    @ParameterizedTest
    @ValueSource(strings = {"stock + (random() * 1000)::int", "stock + nextval('public.tickets')::int",
            "stock + (extract(epoch FROM clock_timestamp()) * 1000000)::bigint % 1000", "stock + extract(microseconds FROM now())::int",
            "(SELECT count(*) FROM public.products)::int + stock"})
    void aVolatileUpCompletesWithTheValuesTheSyncWrote(String up) throws Exception {
        lifecycle.accordion().start(MigrationReader.parseYaml("02_stock", """
                operations:
                  - alter_column:
                      table: products
                      column: stock
                      type: bigint
                      up: %s
                      down: stock::integer
                """.formatted(up)), false);
        VersionClient v1 = lifecycle.version("01_products");
        v1.execute("INSERT INTO products (price, stock) VALUES (1, 1)");
        v1.execute("UPDATE products SET stock = 7 WHERE id = 3");
        List<String> synced = lines(lifecycle.version("02_stock").rows("SELECT id, stock FROM products ORDER BY id"));

        lifecycle.accordion().complete();

        assertThat(lines(lifecycle.version("02_stock").rows("SELECT id, stock FROM products ORDER BY id")))
                .as("what the backfill and the trigger wrote, kept").isEqualTo(synced).hasSize(201);
    }

    @Test
    void aWriteAroundTheTriggerIsStillCaughtThroughTheColumnsThatCanBeRecomputed() throws Exception {
        lifecycle.accordion().start(MigrationReader.parseYaml("02_two", """
                operations:
                  - alter_column:
                      table: products
                      column: stock
                      type: bigint
                      up: stock + (random() * 1000)::int
                      down: stock::integer
                  - alter_column:
                      table: products
                      column: price
                      type: numeric(10,2)
                      up: price / 100.0
                      down: (price * 100)::integer
                """), false);
        db.execute("ALTER TABLE public.products DISABLE TRIGGER USER", "UPDATE public.products SET price = 1 WHERE id = 4",
                "ALTER TABLE public.products ENABLE TRIGGER USER");

        AccordionException refused = catchThrowableOfType(AccordionException.class, () -> lifecycle.accordion().complete());

        assertThat(refused.code()).isEqualTo(ErrorCode.ROWS_DISAGREE);
        assertThat(refused.getMessage()).contains("1 of the 200 rows of \"public\".\"products\" disagree", "where \"id\" is 4.",
                "the new side (\"_acc_new_price\")", "the old side (\"stock\", \"price\")");
        lifecycle.accordion().rollback();
        lifecycle.assertOnlyVersionSchema("public_01_products");
    }

    @Test
    void anAddColumnWithAVolatileUpBesideAShadowCompletes() throws Exception {
        lifecycle.accordion().start(MigrationReader.parseYaml("02_score", """
                operations:
                  - add_column:
                      table: products
                      up: (random() * 100)::int
                      column: {name: score, type: integer, nullable: true}
                  - alter_column:
                      table: products
                      column: price
                      type: numeric(10,2)
                      up: price / 100.0
                      down: (price * 100)::integer
                """), false);

        lifecycle.accordion().complete();

        assertThat(db.queryString("SELECT count(*) FROM public.products WHERE score BETWEEN 0 AND 100")).isEqualTo("200");
    }
}
