package dev.accordion.postgres.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.plan.BatchedStep.Batch;
import dev.accordion.plan.StepId;
import dev.accordion.postgres.testing.TestDatabase;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.QualifiedName;
import dev.accordion.sql.SqlExpr;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The backfill's keyset walk over an integer key whose batches cross a power of ten, where the key's text and
 * numeric orders differ ("99" sorts after "195"): each batch must stop at its numerically last key.
 */
class BackfillKeysetTest {

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private final Backfill backfill = new Backfill(new StepId("start/backfill/products"), QualifiedName.of("public", "products"),
            List.of(new Backfill.KeyColumn(Identifier.of("id"), SqlExpr.of("integer"))),
            List.of(new SyncRule(Identifier.of("new_price"), SqlExpr.of("price / 100.0"))));

    @BeforeEach
    void products() {
        db.execute("CREATE TABLE products (id integer PRIMARY KEY, price integer, new_price numeric(10,2), _acc_synced boolean)",
                "INSERT INTO products (id, price) SELECT n, n * 100 FROM generate_series(1, 250) n");
    }

    @Test
    void aBatchAcrossAPowerOfTenEndsAtItsNumericallyLastKey() throws Exception {
        try (Connection connection = db.connect()) {
            Batch batch = backfill.runBatch(connection, Optional.of("[\"95\"]"), 100);

            assertThat(batch.position()).contains("[\"195\"]");
            assertThat(batch.rowsVisited()).isEqualTo(100);
            assertThat(batch.finished()).isFalse();
        }
        assertThat(db.queryRows("SELECT min(id) AS low, max(id) AS high FROM products WHERE new_price IS NOT NULL"))
                .containsExactly(Map.of("low", 96, "high", 195));
    }

    @Test
    void aWalkInBatchesVisitsEveryRowOnce() throws Exception {
        List<Long> visited = new ArrayList<>();
        try (Connection connection = db.connect()) {
            Optional<String> position = Optional.empty();
            Batch batch;
            do {
                batch = backfill.runBatch(connection, position, 40);
                visited.add(batch.rowsVisited());
                position = batch.position();
            } while (!batch.finished());
        }
        assertThat(visited).containsExactly(40L, 40L, 40L, 40L, 40L, 40L, 10L);
        assertThat(db.queryString("SELECT count(*) FROM products WHERE new_price = price / 100.0")).isEqualTo("250");
    }
}
