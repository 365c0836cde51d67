package dev.accordion.postgres.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.plan.BatchedStep.Batch;
import dev.accordion.plan.StepId;
import dev.accordion.postgres.testing.TestDatabase;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.QualifiedName;
import dev.accordion.sql.SqlExpr;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The backfill's keyset walk over an integer key whose batches cross a power of ten, where the key's text and
 * numeric orders differ ("99" sorts after "195"): each batch must stop at its numerically last key. And the plan
 * of a batch: its keys joined to the table by index, never a scan of the whole table per batch.
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

    @Test
    void aBatchUpdatesItsKeyRangeByIndexThoughTheNewFlagColumnHasNoStatistics() throws Exception {
        db.execute("CREATE TABLE big (id integer PRIMARY KEY, price integer, new_price numeric(10,2))",
                "INSERT INTO big (id, price) SELECT n, n FROM generate_series(1, 50000) n",
                "ANALYZE big",
                "ALTER TABLE big ADD COLUMN _acc_synced boolean");
        Backfill onBig = new Backfill(new StepId("start/backfill/big"), QualifiedName.of("public", "big"),
                backfill.key(), backfill.rules());
        List<String> plan = new ArrayList<>();
        try (Connection connection = db.connect()) {
            connection.setAutoCommit(false);
            try (Statement settings = connection.createStatement()) {
                settings.execute(Backfill.batchSettings());
            }
            try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + onBig.updateSql(true, true))) {
                explain.setString(1, "20000");
                explain.setString(2, "30000");
                try (ResultSet rows = explain.executeQuery()) {
                    while (rows.next()) {
                        plan.add(rows.getString(1));
                    }
                }
            }
            connection.rollback();
        }
        assertThat(String.join("\n", plan)).contains("Index Scan using big_pkey on big")
                .doesNotContain("Seq Scan").doesNotContain("Hash Join").doesNotContain("Merge Join");
    }

    @Test
    void everyBatchOfALongWalkIsPlannedForItsOwnBoundsOnAServerPreparedStatement() throws Exception {
        try (Connection connection = db.connect()) {
            connection.setAutoCommit(false);
            Optional<String> position = Optional.empty();
            Batch batch;
            do {
                batch = backfill.runBatch(connection, position, 10);
                position = batch.position();
                connection.commit();
            } while (!batch.finished());
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                         + "WHERE statement LIKE 'UPDATE %' AND statement LIKE '%>%<=%'")) {
                assertThat(rs.next()).as("pgjdbc prepared the repeated batch statement on the server").isTrue();
                assertThat(rs.getLong(1)).isZero();
                assertThat(rs.getLong(2)).isGreaterThanOrEqualTo(10);
            }
        }
        assertThat(db.queryString("SELECT count(*) FROM products WHERE new_price = price / 100.0")).isEqualTo("250");
    }
}
