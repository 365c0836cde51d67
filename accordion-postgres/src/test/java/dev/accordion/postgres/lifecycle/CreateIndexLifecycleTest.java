package dev.accordion.postgres.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accordion.Accordion;
import dev.accordion.AccordionException;
import dev.accordion.PhaseResult;
import dev.accordion.ErrorCode;
import dev.accordion.migration.Migration;
import dev.accordion.migration.MigrationReader;
import dev.accordion.plan.Phase;
import dev.accordion.plan.Plan;
import dev.accordion.plan.Step;
import dev.accordion.postgres.testing.StatementFailedException;
import dev.accordion.postgres.testing.TestDatabase;
import dev.accordion.spi.MigrationStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * create_index: built with CREATE INDEX CONCURRENTLY at start (every key option, method, unique,
 * predicate and storage parameters reach pg_get_indexdef), dropped concurrently at rollback, kept at
 * complete; an INVALID index left by an interrupted build is dropped and built again when start runs
 * again; a unique index over duplicate rows fails naming both, and rollback leaves nothing behind.
 */
class CreateIndexLifecycleTest {

    private static final String ITEMS = """
            operations:
              - create_table:
                  name: items
                  columns:
                    - {name: id, type: serial, pk: true}
                    - {name: sku, type: text}
                    - {name: name, type: text, nullable: true}
                    - {name: price, type: integer, nullable: true}
                    - {name: tags, type: "text[]", nullable: true}
                    - {name: span, type: int4range, nullable: true}
                    - {name: doc, type: tsvector, nullable: true}
            """;

    private static final String UNIQUE_SKU = """
            operations:
              - create_index: {table: items, name: items_sku_unique, columns: [{column: sku}], unique: true}
            """;

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private Lifecycle lifecycle;
    private IndexFacts indexes;

    @BeforeEach
    void givenItems() {
        lifecycle = new Lifecycle(db);
        indexes = new IndexFacts(db);
        lifecycle.given("01_items", ITEMS);
    }

    @Test
    void uniquePartialIndexWithEveryKeyOptionRejectsDuplicatesWhileBothVersionsWrite() throws Exception {
        String definition = "CREATE UNIQUE INDEX items_sku_live ON public.items USING btree (sku COLLATE \"C\" DESC NULLS LAST) "
                + "WITH (fillfactor='70') WHERE (price > 0)";
        lifecycle.run("02_sku_live", """
                operations:
                  - create_index:
                      table: items
                      name: items_sku_live
                      columns:
                        - {column: sku, collate: C, sort: desc, nulls: last}
                      method: btree
                      unique: true
                      predicate: price > 0
                      storage_parameters: fillfactor = 70
                """,
                (v1, v2) -> {
                    assertThat(indexes.isValid("items_sku_live")).isTrue();
                    assertThat(indexes.definition("items_sku_live")).isEqualTo(definition);
                    v1.execute("INSERT INTO items (sku, price) VALUES ('a', 1)");
                    v2.execute("INSERT INTO items (sku, price) VALUES ('b', 2)");
                    assertRejectedAsDuplicate(v2, "INSERT INTO items (sku, price) VALUES ('a', 5)", "items_sku_live");
                    assertRejectedAsDuplicate(v1, "UPDATE items SET sku = 'b' WHERE sku = 'a'", "items_sku_live");
                    v2.execute("INSERT INTO items (sku, price) VALUES ('a', 0)"); // outside the predicate
                    assertThat(v1.rows("SELECT sku, price FROM items ORDER BY id"))
                            .containsExactly(Map.of("sku", "a", "price", 1), Map.of("sku", "b", "price", 2), Map.of("sku", "a", "price", 0));
                    v1.execute("DELETE FROM items");
                },
                (v1, v2) -> {
                    assertThat(indexes.exists("items_sku_live")).isFalse();
                    v1.execute("INSERT INTO items (sku, price) VALUES ('a', 1), ('a', 1)");
                    assertThat(v1.rows("SELECT count(*) AS n FROM items")).containsExactly(Map.of("n", 2L));
                    v1.execute("DELETE FROM items");
                },
                (v1, v2) -> {
                    assertThat(indexes.isValid("items_sku_live")).isTrue();
                    assertThat(indexes.definition("items_sku_live")).isEqualTo(definition);
                    v2.execute("INSERT INTO items (sku, price) VALUES ('c', 3)");
                    assertRejectedAsDuplicate(v2, "INSERT INTO items (sku, price) VALUES ('c', 4)", "items_sku_live");
                    assertThat(v2.rows("SELECT sku FROM items WHERE sku = 'c'")).containsExactly(Map.of("sku", "c"));
                });
    }

    @Test
    void operatorClassesWithAndWithoutParametersReachTheIndex() throws Exception {
        // BRIN's minmax_multi came with PostgreSQL 14; before it, the default minmax class, which takes no parameters.
        boolean minmaxMulti = Integer.parseInt(db.queryString("SHOW server_version_num")) >= 140000;
        String brinColumn = minmaxMulti ? "{column: price, opclass: {name: int4_minmax_multi_ops, params: {values_per_range: \"16\"}}}"
                : "{column: price, opclass: {name: int4_minmax_ops}}";
        Map<String, String> definitions = Map.of(
                "items_name_pattern", "CREATE INDEX items_name_pattern ON public.items USING btree (name text_pattern_ops NULLS FIRST)",
                "items_price_minmax", "CREATE INDEX items_price_minmax ON public.items USING brin "
                        + (minmaxMulti ? "(price int4_minmax_multi_ops (values_per_range='16'))" : "(price)"),
                "items_doc_gist", "CREATE INDEX items_doc_gist ON public.items USING gist (doc tsvector_ops (siglen='40'))");
        lifecycle.run("02_opclasses", """
                operations:
                  - create_index:
                      table: items
                      name: items_name_pattern
                      columns: [{column: name, opclass: {name: text_pattern_ops}, sort: ASC, nulls: FIRST}]
                  - create_index:
                      table: items
                      name: items_price_minmax
                      method: brin
                      columns: [%s]
                  - create_index:
                      table: items
                      name: items_doc_gist
                      method: gist
                      columns: [{column: doc, opclass: {name: tsvector_ops, params: {siglen: "40"}}}]
                """.formatted(brinColumn),
                (v1, v2) -> {
                    definitions.forEach((index, definition) -> {
                        assertThat(indexes.isValid(index)).as(index).isTrue();
                        assertThat(indexes.definition(index)).isEqualTo(definition);
                    });
                    v1.execute("INSERT INTO items (sku, name, price, doc) VALUES ('a', 'apple pie', 3, to_tsvector('simple', 'red apple'))");
                    v2.execute("INSERT INTO items (sku, name, price, doc) VALUES ('b', 'banana', 7, to_tsvector('simple', 'yellow banana'))");
                    assertThat(v2.rows("SELECT sku FROM items WHERE name LIKE 'app%'")).containsExactly(Map.of("sku", "a"));
                    assertThat(v1.rows("SELECT sku FROM items WHERE doc @@ 'banana'::tsquery")).containsExactly(Map.of("sku", "b"));
                    assertThat(v2.rows("SELECT sku FROM items WHERE price BETWEEN 5 AND 9")).containsExactly(Map.of("sku", "b"));
                    v2.execute("DELETE FROM items");
                },
                (v1, v2) -> definitions.keySet().forEach(index -> assertThat(indexes.exists(index)).as(index).isFalse()),
                (v1, v2) -> {
                    definitions.forEach((index, definition) -> assertThat(indexes.definition(index)).isEqualTo(definition));
                    v2.execute("INSERT INTO items (sku, name) VALUES ('c', 'apricot')");
                    assertThat(v2.rows("SELECT name FROM items WHERE name LIKE 'apr%'")).containsExactly(Map.of("name", "apricot"));
                });
    }

    @Test
    void everyBuiltInMethodBuildsOnAColumnOfAFittingType() throws Exception {
        Map<String, String> definitions = Map.of(
                "items_sku_hash", "CREATE INDEX items_sku_hash ON public.items USING hash (sku)",
                "items_span_gist", "CREATE INDEX items_span_gist ON public.items USING gist (span)",
                "items_tags_gin", "CREATE INDEX items_tags_gin ON public.items USING gin (tags)",
                "items_name_spgist", "CREATE INDEX items_name_spgist ON public.items USING spgist (name)",
                "items_price_brin", "CREATE INDEX items_price_brin ON public.items USING brin (price)");
        lifecycle.run("02_methods", """
                operations:
                  - create_index: {table: items, name: items_sku_hash, method: hash, columns: [sku]}
                  - create_index: {table: items, name: items_span_gist, method: gist, columns: [span]}
                  - create_index: {table: items, name: items_tags_gin, method: GIN, columns: [tags]}
                  - create_index: {table: items, name: items_name_spgist, method: spgist, columns: [name]}
                  - create_index: {table: items, name: items_price_brin, method: brin, columns: [price]}
                """,
                (v1, v2) -> {
                    definitions.forEach((index, definition) -> {
                        assertThat(indexes.isValid(index)).as(index).isTrue();
                        assertThat(indexes.definition(index)).isEqualTo(definition);
                    });
                    v1.execute("INSERT INTO items (sku, name, price, tags, span) VALUES ('a', 'anvil', 10, '{red,heavy}', '[1,5)')");
                    v2.execute("INSERT INTO items (sku, name, price, tags, span) VALUES ('b', 'bell', 20, '{gold}', '[5,9)')");
                    assertThat(v2.rows("SELECT sku FROM items WHERE tags @> ARRAY['red']")).containsExactly(Map.of("sku", "a"));
                    assertThat(v1.rows("SELECT sku FROM items WHERE span @> 6")).containsExactly(Map.of("sku", "b"));
                    assertThat(v2.rows("SELECT name FROM items WHERE sku = 'b'")).containsExactly(Map.of("name", "bell"));
                    assertThat(v1.rows("SELECT sku FROM items WHERE name = 'anvil'")).containsExactly(Map.of("sku", "a"));
                    v1.execute("DELETE FROM items");
                },
                (v1, v2) -> definitions.keySet().forEach(index -> assertThat(indexes.exists(index)).as(index).isFalse()),
                (v1, v2) -> {
                    definitions.forEach((index, definition) -> {
                        assertThat(indexes.isValid(index)).as(index).isTrue();
                        assertThat(indexes.definition(index)).isEqualTo(definition);
                    });
                    v2.execute("INSERT INTO items (sku, tags) VALUES ('c', '{blue}')");
                    assertThat(v2.rows("SELECT sku FROM items WHERE tags && ARRAY['blue', 'green']")).containsExactly(Map.of("sku", "c"));
                });
    }

    @Test
    void theBuildRunsConcurrentlyOutsideATransactionAndRollbackDropsConcurrently() {
        Plan plan = lifecycle.accordion().plan(MigrationReader.parseYaml("02_unique_sku", UNIQUE_SKU));

        Step build = plan.steps(Phase.START).get(0);
        assertThat(build.transactional()).isFalse();
        assertThat(build.plannedSql()).containsExactly("CREATE UNIQUE INDEX CONCURRENTLY \"items_sku_unique\" ON \"public\".\"items\" (\"sku\")");
        assertThat(plan.steps(Phase.ROLLBACK)).filteredOn(step -> !step.transactional())
                .flatExtracting(Step::plannedSql).containsExactly("DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"items_sku_unique\"");
        assertThat(plan.steps(Phase.COMPLETE)).flatExtracting(Step::plannedSql).noneMatch(sql -> sql.contains("INDEX"));
    }

    @Test
    void aUniqueIndexOverDuplicateRowsFailsNamingTheIndexAndTheDuplicateKey() throws Exception {
        VersionClient v1 = lifecycle.version("01_items");
        v1.execute("INSERT INTO items (sku, price) VALUES ('a', 1), ('a', 2), ('b', 3)");

        assertThatThrownBy(() -> lifecycle.accordion().start(uniqueSku(), false))
                .isInstanceOfSatisfying(AccordionException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DATABASE);
                    assertThat(e.getMessage()).contains("could not create unique index \"items_sku_unique\"")
                            .contains("Key (sku)=(a) is duplicated").contains("accordion rollback");
                });

        // What PostgreSQL leaves behind: an INVALID index that is not ready, so it does not stop the old version's writes.
        assertThat(indexes.isValid("items_sku_unique")).isFalse();
        assertThat(lifecycle.accordion().status().active()).map(r -> r.status()).contains(MigrationStatus.STARTING);
        v1.execute("INSERT INTO items (sku, price) VALUES ('b', 4)");
        assertThat(v1.rows("SELECT count(*) AS n FROM items WHERE sku = 'b'")).containsExactly(Map.of("n", 2L));

        lifecycle.accordion().rollback();
        assertThat(indexes.exists("items_sku_unique")).isFalse();
        assertThat(indexes.onTable("items")).containsExactly("items_pkey");
        lifecycle.assertOnlyVersionSchema("public_01_items");
        assertThat(migrationNames()).containsExactly("01_items");
    }

    @Test
    void anInvalidIndexLeftByAFailedStartIsDroppedAndBuiltAgainWhenStartRunsAgain() throws Exception {
        VersionClient v1 = lifecycle.version("01_items");
        v1.execute("INSERT INTO items (sku, price) VALUES ('a', 1), ('a', 2)");
        Migration migration = uniqueSku();
        assertThatThrownBy(() -> lifecycle.accordion().start(migration, false)).isInstanceOf(AccordionException.class);
        long leftover = indexes.oid("items_sku_unique");
        assertThat(indexes.isValid("items_sku_unique")).isFalse();

        v1.execute("DELETE FROM items WHERE price = 2");
        VersionClient v2 = new VersionClient(db, lifecycle.accordion().start(migration, false).versionSchema().orElseThrow());

        assertThat(indexes.isValid("items_sku_unique")).isTrue();
        assertThat(indexes.oid("items_sku_unique")).as("a new index, not the leftover").isNotEqualTo(leftover);
        assertRejectedAsDuplicate(v2, "INSERT INTO items (sku, price) VALUES ('a', 3)", "items_sku_unique");
        lifecycle.accordion().complete();
        assertThat(indexes.definition("items_sku_unique"))
                .isEqualTo("CREATE UNIQUE INDEX items_sku_unique ON public.items USING btree (sku)");
        lifecycle.assertOnlyVersionSchema("public_02_unique_sku");
    }

    /**
     * CREATE INDEX CONCURRENTLY waits for transactions older than it, and its lock blocks no client: the build waits
     * for an in-flight writer past the lock timeout and the retry deadline instead of failing (and leaving an
     * INVALID index behind), and finishes once the writer commits.
     */
    @Test
    void aBuildWaitsForAnInFlightWriterPastTheRetryDeadline() throws Exception {
        Duration deadline = Duration.ofSeconds(1);
        Accordion impatient = Accordion.configure().clientWatch(java.time.Duration.ZERO).connections(db::connect).lockTimeout(Duration.ofMillis(100))
                .lockRetryDeadline(deadline).load();
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try (Connection writer = db.connect(); Statement statement = writer.createStatement()) {
            writer.setAutoCommit(false);
            statement.execute("INSERT INTO public.items (sku) VALUES ('in flight')");
            Future<PhaseResult> start = runner.submit(() -> impatient.start(uniqueSku(), false));

            Instant giveUp = Instant.now().plusSeconds(30);
            // Waiting on the writer's virtual transaction id for twice the retry deadline.
            while (!"true".equals(db.queryString("SELECT (count(*) > 0)::text FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND wait_event = 'virtualxid' AND query LIKE 'CREATE UNIQUE INDEX CONCURRENTLY%' "
                    + "AND query_start < now() - interval '" + deadline.multipliedBy(2).toMillis() + " milliseconds'"))) {
                assertThat(start).as("the build must still be waiting").isNotDone();
                assertThat(Instant.now()).as("the build waiting on the writer").isBefore(giveUp);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            writer.commit();
            VersionClient v2 = new VersionClient(db, start.get(30, TimeUnit.SECONDS).versionSchema().orElseThrow());

            assertThat(indexes.isValid("items_sku_unique")).isTrue();
            assertThat(v2.rows("SELECT sku FROM items")).containsExactly(Map.of("sku", "in flight"));
            assertRejectedAsDuplicate(v2, "INSERT INTO items (sku) VALUES ('in flight')", "items_sku_unique");
        } finally {
            runner.shutdownNow();
        }
    }

    @Test
    void anInvalidIndexOfTheUserWithTheSameNameIsRefusedRatherThanDropped() throws Exception {
        lifecycle.version("01_items").execute("INSERT INTO items (sku) VALUES ('a'), ('a')");
        assertThatThrownBy(() -> db.execute("CREATE UNIQUE INDEX CONCURRENTLY items_sku_unique ON public.items (sku)"))
                .isInstanceOf(StatementFailedException.class);
        assertThat(indexes.isValid("items_sku_unique")).isFalse();
        long leftover = indexes.oid("items_sku_unique");

        assertInvalid(uniqueSku(), "a table or index named \"items_sku_unique\" already exists");
        assertThat(indexes.oid("items_sku_unique")).isEqualTo(leftover);
    }

    @Test
    void anExistingIndexNameIsRefused() {
        lifecycle.given("02_name_index", """
                operations:
                  - create_index: {table: items, name: items_name, columns: [name]}
                """);
        assertInvalid(MigrationReader.parseYaml("03_again", """
                operations:
                  - create_index: {table: items, name: items_name, columns: [sku]}
                """), "a table or index named \"items_name\" already exists", "public_02_name_index");
        assertThat(indexes.definition("items_name")).isEqualTo("CREATE INDEX items_name ON public.items USING btree (name)");
    }

    @Test
    void anUnknownColumnIsRefusedNamingItAndTheTable() {
        assertInvalid(MigrationReader.parseYaml("02_bad_column", """
                operations:
                  - create_index: {table: items, name: items_colour, columns: [colour]}
                """), "column \"colour\" does not exist in table \"items\"");
    }

    @Test
    void anExpressionIsNotAColumnName() {
        // The format names columns only (as pgroll's does): an expression index cannot be written.
        assertInvalid(MigrationReader.parseYaml("02_lower_name", """
                operations:
                  - create_index: {table: items, name: items_lower_name, columns: ["lower(name)"]}
                """), "column \"lower(name)\" does not exist in table \"items\"");
    }

    @Test
    void anUnknownMethodIsRefusedNamingItAndTheKnownOnes() {
        assertInvalid(MigrationReader.parseYaml("02_bloom", """
                operations:
                  - create_index: {table: items, name: items_sku_bloom, method: bloom, columns: [sku]}
                """), "index \"items_sku_bloom\" has unknown method \"bloom\" (methods: brin, btree, gin, gist, hash, spgist)");
    }

    private Migration uniqueSku() {
        return MigrationReader.parseYaml("02_unique_sku", UNIQUE_SKU);
    }

    private void assertInvalid(Migration migration, String problem) {
        assertInvalid(migration, problem, "public_01_items");
    }

    /** Start refuses the migration with the problem, and nothing changes: indexes, version schemas and history stay as they were. */
    private void assertInvalid(Migration migration, String problem, String currentVersion) {
        List<String> indexesBefore = indexes.onTable("items");
        List<String> historyBefore = migrationNames();
        assertThatThrownBy(() -> lifecycle.accordion().start(migration, false))
                .isInstanceOfSatisfying(AccordionException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MIGRATION);
                    assertThat(e.getMessage()).contains(problem);
                });
        assertThat(indexes.onTable("items")).isEqualTo(indexesBefore);
        assertThat(migrationNames()).isEqualTo(historyBefore);
        lifecycle.assertOnlyVersionSchema(currentVersion);
    }

    private List<String> migrationNames() {
        return db.queryStrings("SELECT name FROM accordion.migrations ORDER BY started_at, name");
    }

    private static void assertRejectedAsDuplicate(VersionClient client, String sql, String index) {
        assertThatThrownBy(() -> client.execute(sql)).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).isEqualTo("23505");
            assertThat(e.getMessage()).contains(index);
        });
    }
}
