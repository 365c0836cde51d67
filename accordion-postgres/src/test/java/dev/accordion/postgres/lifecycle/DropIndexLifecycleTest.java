package dev.accordion.postgres.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.migration.MigrationReader;
import dev.accordion.plan.Phase;
import dev.accordion.plan.Plan;
import dev.accordion.plan.Step;
import dev.accordion.postgres.testing.TestDatabase;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * drop_index: the old version may still rely on the index (here: a unique one), so start leaves it
 * alone, complete drops it concurrently, and rollback keeps it.
 */
class DropIndexLifecycleTest {

    private static final String DEFINITION = "CREATE UNIQUE INDEX items_sku_unique ON public.items USING btree (sku)";

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private Lifecycle lifecycle;
    private IndexFacts indexes;

    @BeforeEach
    void givenItemsWithAUniqueSkuIndex() throws SQLException {
        lifecycle = new Lifecycle(db);
        indexes = new IndexFacts(db);
        lifecycle.given("01_items", """
                operations:
                  - create_table:
                      name: items
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: sku, type: text}
                """);
        lifecycle.given("02_sku_unique", """
                operations:
                  - create_index: {table: items, name: items_sku_unique, columns: [sku], unique: true}
                """);
        lifecycle.version("02_sku_unique").execute("INSERT INTO items (sku) VALUES ('a')");
    }

    @Test
    void theIndexServesTheOldVersionUntilCompleteDropsIt() throws Exception {
        lifecycle.run("03_drop_sku_unique", """
                operations:
                  - drop_index: {name: items_sku_unique}
                """,
                (v2, v3) -> {
                    assertThat(indexes.isValid("items_sku_unique")).isTrue();
                    assertThat(indexes.definition("items_sku_unique")).isEqualTo(DEFINITION);
                    assertThat(v2.rows("SELECT id FROM items WHERE sku = 'a'")).containsExactly(Map.of("id", 1));
                    assertRejectedAsDuplicate(v2, "INSERT INTO items (sku) VALUES ('a')");
                    assertRejectedAsDuplicate(v3, "INSERT INTO items (sku) VALUES ('a')");
                    v3.execute("INSERT INTO items (sku) VALUES ('b')");
                    assertThat(v2.rows("SELECT sku FROM items ORDER BY id")).extracting(r -> r.get("sku")).containsExactly("a", "b");
                    v2.execute("DELETE FROM items WHERE sku = 'b'");
                },
                (v2, v3) -> {
                    assertThat(indexes.isValid("items_sku_unique")).isTrue();
                    assertThat(indexes.definition("items_sku_unique")).isEqualTo(DEFINITION);
                    assertRejectedAsDuplicate(v2, "INSERT INTO items (sku) VALUES ('a')");
                    assertThat(v2.rows("SELECT sku FROM items")).containsExactly(Map.of("sku", "a"));
                },
                (v2, v3) -> {
                    assertThat(indexes.exists("items_sku_unique")).isFalse();
                    assertThat(indexes.onTable("items")).containsExactly("items_pkey");
                    v3.execute("INSERT INTO items (sku) VALUES ('a')");
                    assertThat(v3.rows("SELECT count(*) AS n FROM items WHERE sku = 'a'")).containsExactly(Map.of("n", 2L));
                }, accordion -> {
                    // the old version's queries above scanned the index: complete refuses once, naming it, and counts again
                    awaitCountedScans("items_sku_unique");
                    assertThat(catchThrowableOfType(AccordionException.class, accordion::complete))
                            .satisfies(refused -> assertThat(refused.code()).isEqualTo(ErrorCode.UNSAFE_TO_CONTRACT))
                            .hasMessageContaining("index \"items_sku_unique\": scanned ");
                    accordion.complete();
                });
    }

    /** The scans of the old version's queries reach the server's statistics a moment after them. */
    private void awaitCountedScans(String index) {
        long atStart = Long.parseLong(db.queryString("SELECT scans FROM accordion.index_scans WHERE index_name = '" + index + "'"));
        java.time.Instant giveUp = java.time.Instant.now().plusSeconds(30);
        while (Long.parseLong(db.queryString("SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = '" + index + "'")) <= atStart) {
            assertThat(java.time.Instant.now()).as("the server counted the scans of " + index).isBefore(giveUp);
            db.execute("SELECT pg_sleep(0.05)");
        }
    }

    @Test
    void completeDropsConcurrentlyOutsideATransactionAndStartTouchesNoIndex() {
        Plan plan = lifecycle.accordion().plan(MigrationReader.parseYaml("03_drop_sku_unique", """
                operations:
                  - drop_index: {name: items_sku_unique}
                """));

        assertThat(plan.steps(Phase.START)).flatExtracting(Step::plannedSql).noneMatch(sql -> sql.contains("INDEX"));
        assertThat(plan.steps(Phase.ROLLBACK)).flatExtracting(Step::plannedSql).noneMatch(sql -> sql.contains("INDEX"));
        Step drop = plan.steps(Phase.COMPLETE).stream().filter(step -> step.id().toString().contains("drop_index")).findFirst().orElseThrow();
        assertThat(drop.transactional()).isFalse();
        assertThat(drop.plannedSql()).containsExactly("DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"items_sku_unique\"");
    }

    @Test
    void anUnknownIndexIsRefusedNamingIt() {
        assertThatThrownBy(() -> lifecycle.accordion().start(MigrationReader.parseYaml("03_drop_nothing", """
                operations:
                  - drop_index: {name: items_colour}
                """), false)).isInstanceOfSatisfying(AccordionException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MIGRATION);
                    assertThat(e.getMessage()).contains("index \"items_colour\" does not exist");
                });
        assertThat(indexes.onTable("items")).containsExactly("items_pkey", "items_sku_unique");
        assertThat(db.queryStrings("SELECT name FROM accordion.migrations ORDER BY name")).containsExactly("01_items", "02_sku_unique");
        lifecycle.assertOnlyVersionSchema("public_02_sku_unique");
    }

    @Test
    void theIndexOfAConstraintIsRefusedPointingAtDropConstraint() {
        assertThatThrownBy(() -> lifecycle.accordion().start(MigrationReader.parseYaml("03_drop_pkey", """
                operations:
                  - drop_index: {name: items_pkey}
                """), false)).isInstanceOfSatisfying(AccordionException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MIGRATION);
                    assertThat(e.getMessage()).contains("index \"items_pkey\" does not exist").contains("drop_constraint");
                });
        assertThat(indexes.onTable("items")).containsExactly("items_pkey", "items_sku_unique");
        lifecycle.assertOnlyVersionSchema("public_02_sku_unique");
    }

    private static void assertRejectedAsDuplicate(VersionClient client, String sql) {
        assertThatThrownBy(() -> client.execute(sql)).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).isEqualTo("23505");
            assertThat(e.getMessage()).contains("items_sku_unique");
        });
    }
}
