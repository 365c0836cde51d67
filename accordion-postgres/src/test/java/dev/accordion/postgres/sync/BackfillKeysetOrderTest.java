package dev.accordion.postgres.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.Accordion;
import dev.accordion.execute.ExecutionListener;
import dev.accordion.migration.MigrationReader;
import dev.accordion.plan.Step;
import dev.accordion.postgres.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The column backfill's keyset walk over an integer key: each batch must resume after the largest key of the last
 * one by the key's own order. Ordered as text, the keys 1..500 end at "99", and the next batch visits 100..500 again.
 */
class BackfillKeysetOrderTest {

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @Test
    void eachRowIsVisitedOnceInKeyOrder() {
        db.execute("CREATE TABLE public.products (id integer PRIMARY KEY, price integer)",
                "INSERT INTO public.products SELECT n, n * 100 FROM generate_series(1, 3000) n");
        List<Long> progress = new ArrayList<>();
        Accordion accordion = Accordion.configure().clientWatch(java.time.Duration.ZERO).connections(db::connect).backfillBatchSize(500)
                .listener(new ExecutionListener() {
                    @Override
                    public void backfillProgress(Step step, long rowsDone, long estimatedTotal, double rowsPerSecond) {
                        progress.add(rowsDone);
                    }
                }).load();
        accordion.baseline("00_products");

        accordion.start(MigrationReader.parseYaml("01_price_in_dollars", """
                operations:
                  - alter_column:
                      table: products
                      column: price
                      type: numeric(10,2)
                      up: price / 100.0
                      down: (price * 100)::integer
                """), false);

        assertThat(progress).containsExactly(500L, 1000L, 1500L, 2000L, 2500L, 3000L, 3000L);
        assertThat(db.queryString("SELECT count(*) FROM public.products WHERE \"_acc_new_price\" = price / 100.0")).isEqualTo("3000");
    }
}
