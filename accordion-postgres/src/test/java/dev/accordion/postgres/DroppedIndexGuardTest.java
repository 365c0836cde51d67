package dev.accordion.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.accordion.Accordion;
import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.Hint;
import dev.accordion.PhaseResult;
import dev.accordion.migration.MigrationReader;
import dev.accordion.postgres.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An index is dropped only after confirming no query depends on it (issue 12): its scans are counted when the start
 * begins, and complete refuses while the count has grown since, naming the index; one never scanned does not stop it.
 */
class DroppedIndexGuardTest {

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private Accordion accordion;

    @BeforeEach
    void itemsWithTwoIndexes() {
        accordion = Accordion.configure().clientWatch(Duration.ZERO).connections(db::connect).load();
        accordion.start(MigrationReader.parseYaml("01_items", """
                operations:
                  - create_table:
                      name: items
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: sku, type: text}
                        - {name: colour, type: text, nullable: true}
                  - create_index: {table: items, name: items_sku, columns: [sku]}
                  - create_index: {table: items, name: items_colour, columns: [colour]}
                """), true);
        db.execute("INSERT INTO public.items (sku, colour) SELECT 'sku-' || n, 'red' FROM generate_series(1, 1000) n", "ANALYZE public.items");
    }

    @Test
    void anIndexScannedAfterStartStopsCompleteOnceNamingItsScans() throws Exception {
        accordion.start(MigrationReader.parseYaml("02_drop_sku", "operations:\n  - drop_index: {name: items_sku}\n"), false);
        long before = scans("items_sku");
        try (Connection oldClient = db.connect(); Statement statement = oldClient.createStatement()) {
            statement.execute("SET search_path TO public_01_items");
            statement.execute("SET enable_seqscan = off");
            for (int i = 0; i < 3; i++) {
                statement.executeQuery("SELECT id FROM items WHERE sku = 'sku-" + i + "'").close();
            }
        }
        awaitCounted("items_sku", before + 3);

        AccordionException refused = catchThrowableOfType(AccordionException.class, () -> accordion.complete());

        assertThat(refused.code()).isEqualTo(ErrorCode.UNSAFE_TO_CONTRACT);
        assertThat(refused.hint()).contains(Hint.COMPLETE_ANYWAY);
        assertThat(refused.getMessage()).contains("complete of migration \"02_drop_sku\" changed nothing: it drops an index that "
                + "queries still use:", "index \"items_sku\": scanned 3 times since it was counted (when the start began, or when complete last refused)");
        assertThat(db.queryStrings("SELECT indexname FROM pg_indexes WHERE tablename = 'items' ORDER BY 1"))
                .contains("items_sku");

        PhaseResult again = accordion.complete();
        assertThat(again.droppedVersionSchema()).as("no scan since the refusal counted again").contains("public_01_items");
        assertThat(db.queryStrings("SELECT indexname FROM pg_indexes WHERE tablename = 'items' ORDER BY 1"))
                .doesNotContain("items_sku");
    }

    @Test
    void anIndexNeverScannedSinceStartDoesNotStopComplete() {
        accordion.start(MigrationReader.parseYaml("02_drop_colour", "operations:\n  - drop_index: {name: items_colour}\n"), false);

        PhaseResult completed = accordion.complete();

        assertThat(completed.droppedVersionSchema()).contains("public_01_items");
        assertThat(db.queryStrings("SELECT indexname FROM pg_indexes WHERE tablename = 'items' ORDER BY 1"))
                .containsExactly("items_pkey", "items_sku");
    }

    @Test
    void anIndexOnADroppedColumnCountsToo() throws Exception {
        accordion.start(MigrationReader.parseYaml("02_drop_colour_column", "operations:\n  - drop_column: {table: items, column: colour}\n"),
                false);
        long before = scans("items_colour");
        try (Connection oldClient = db.connect(); Statement statement = oldClient.createStatement()) {
            statement.execute("SET search_path TO public_01_items");
            statement.execute("SET enable_seqscan = off");
            statement.executeQuery("SELECT id FROM items WHERE colour = 'blue'").close();
        }
        awaitCounted("items_colour", before + 1);

        AccordionException refused = catchThrowableOfType(AccordionException.class, () -> accordion.complete());

        assertThat(refused.code()).isEqualTo(ErrorCode.UNSAFE_TO_CONTRACT);
        assertThat(refused.getMessage()).contains("index \"items_colour\": scanned 1 time since it was counted");
    }

    private long scans(String index) {
        return Long.parseLong(db.queryString("SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = '" + index + "'"));
    }

    /**
     * The server counts a session's scans a moment after its statements (when the session reports its statistics);
     * complete reads what is counted, so the test first waits, up to a deadline, until the scans are.
     */
    private void awaitCounted(String index, long atLeast) {
        Instant giveUp = Instant.now().plusSeconds(30);
        while (scans(index) < atLeast) {
            assertThat(Instant.now()).as("the server counted the scans of " + index + " within 30 s").isBefore(giveUp);
            db.execute("SELECT pg_sleep(0.05)");
        }
    }
}
