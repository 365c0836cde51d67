package dev.accordion.postgres.lifecycle;

import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.Hint;
import dev.accordion.migration.Migration;
import dev.accordion.migration.MigrationReader;
import dev.accordion.postgres.testing.TestDatabase;
import dev.accordion.spi.MigrationStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Complete checks, before it changes anything, that every row agrees between the two versions (issue 4, "Consistency
 * before contract"). A write around the sync trigger is simulated by a session that sets the backfill's setting, which
 * the trigger's WHEN condition skips.
 */
class AgreementCheckTest {

    private static final int ROWS = 25_000; // more than two of the check's batches
    private static final Migration PRICE = MigrationReader.parseYaml("02_price_in_dollars", """
            operations:
              - alter_column:
                  table: products
                  column: price
                  type: numeric(10,2)
                  up: price / 100.0
                  down: (price * 100)::integer
            """);

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private Lifecycle lifecycle;

    @BeforeEach
    void productsInCents() throws Exception {
        lifecycle = new Lifecycle(db);
        lifecycle.given("01_products", """
                operations:
                  - create_table:
                      name: products
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: price, type: integer}
                """);
        db.execute("INSERT INTO public.products (price) SELECT 100 + i FROM generate_series(1, " + ROWS + ") AS i");
        lifecycle.accordion().start(PRICE, false);
        VersionClient v1 = lifecycle.version("01_products");
        VersionClient v2 = lifecycle.version("02_price_in_dollars");
        v1.execute("UPDATE products SET price = 1 WHERE id = 5");
        v2.execute("UPDATE products SET price = 7.77 WHERE id = 6");
    }

    @Test
    void rowsWrittenAroundTheTriggerMakeCompleteRefuseAndChangeNothing() throws Exception {
        writeAroundTheTrigger(3, 15_000, 24_999);

        AccordionException refused = catchThrowableOfType(AccordionException.class, () -> lifecycle.accordion().complete());

        assertThat(refused.code()).isEqualTo(ErrorCode.ROWS_DISAGREE);
        assertThat(refused.getMessage()).contains("3 of the 25,000 rows of \"public\".\"products\" disagree",
                "where \"id\" is 3, 15000, 24999.", "\"_acc_new_price\"", "\"price\"", "Nothing was changed",
                "complete without this check to drop the old side as it is").doesNotContain("--");
        assertThat(refused.hint()).contains(Hint.SKIP_AGREEMENT_CHECK);
        assertThat(db.queryStrings("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'public\\_%' ORDER BY 1"))
                .as("both versions are still there").containsExactly("public_01_products", "public_02_price_in_dollars");
        assertThat(lines(lifecycle.version("01_products").rows("SELECT price FROM products WHERE id IN (5, 6) ORDER BY id")))
                .containsExactly("1", "777");

        lifecycle.accordion().rollback();
        lifecycle.assertOnlyVersionSchema("public_01_products");
    }

    @Test
    void onceTheRowsAreWrittenAgainThroughAVersionCompleteGoesOn() throws Exception {
        writeAroundTheTrigger(3, 24_999);
        assertThat(catchThrowableOfType(AccordionException.class, () -> lifecycle.accordion().complete()).code())
                .isEqualTo(ErrorCode.ROWS_DISAGREE);

        lifecycle.version("01_products").execute("UPDATE products SET price = price WHERE id IN (3, 24999)");
        lifecycle.accordion().complete();

        assertThat(lifecycle.accordion().status().history().get(1).status()).isEqualTo(MigrationStatus.COMPLETE);
        assertThat(lines(lifecycle.version("02_price_in_dollars").rows("SELECT price FROM products WHERE id IN (3, 5, 6, 24999) "
                + "ORDER BY id"))).containsExactly("0.01", "0.01", "7.77", "0.01");
    }

    @Test
    void forceCompletesWithTheNewSidesValues() throws Exception {
        writeAroundTheTrigger(3);

        lifecycle.accordion().complete(true);

        assertThat(lines(lifecycle.version("02_price_in_dollars").rows("SELECT price FROM products WHERE id = 3")))
                .as("the new side as it was, not what the write around the trigger put in the old column").containsExactly("1.03");
    }

    @Test
    void theCheckIsCompletesFirstStepInThePlan() {
        lifecycle.accordion().rollback();
        assertThat(lifecycle.accordion().plan(PRICE).steps(dev.accordion.plan.Phase.COMPLETE).get(0).summary())
                .isEqualTo("check that every row of \"public\".\"products\" agrees between the two versions");
    }

    /** Sets the old column of each row to 1 cent in a session the sync trigger skips. */
    private void writeAroundTheTrigger(int... ids) {
        for (int id : ids) {
            db.execute("BEGIN", "SET LOCAL accordion.backfill = 'on'", "UPDATE public.products SET price = 1 WHERE id = " + id, "COMMIT");
        }
    }
}
