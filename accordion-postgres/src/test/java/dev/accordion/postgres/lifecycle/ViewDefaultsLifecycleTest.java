package dev.accordion.postgres.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.postgres.testing.TestDatabase;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every default a version's schema promises is on its view columns (issue 11): an INSERT that leaves the column out and
 * an {@code UPDATE … SET column = DEFAULT} through either version give that version's default, during the migration
 * and after complete. Without it, an UPDATE to DEFAULT through a view writes NULL, which a NOT NULL column refuses.
 */
class ViewDefaultsLifecycleTest {

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private Lifecycle lifecycle;

    @BeforeEach
    void items() throws Exception {
        lifecycle = new Lifecycle(db);
        lifecycle.given("01_items", """
                operations:
                  - create_table:
                      name: items
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: label, type: text, default: "'old'"}
                        - {name: qty, type: integer, default: "1"}
                        - {name: city, type: text, nullable: true, default: "'Paris'"}
                        - {name: note, type: text, nullable: true}
                """);
        lifecycle.version("01_items").execute("INSERT INTO items (note) VALUES ('seed')");
    }

    @Test
    void theOldVersionsViewsCarryItsDefaults() throws Exception {
        VersionClient v1 = lifecycle.version("01_items");
        assertDefault(v1, "items", "id", "2", "3");
        assertDefault(v1, "items", "label", "old", "old");
        assertDefault(v1, "items", "qty", "1", "1");
    }

    @Test
    void addColumnWithADefault() throws Exception {
        lifecycle.run("02_rank", """
                operations:
                  - add_column: {table: items, column: {name: rank, type: integer, default: "3"}}
                  - add_column: {table: items, up: "7", column: {name: score, type: integer, default: "4"}}
                """,
                (v1, v2) -> {
                    assertDefault(v2, "items", "rank", "3", "3");
                    assertDefault(v2, "items", "score", "4", "4");
                    assertDefault(v1, "items", "qty", "1", "1");
                },
                Lifecycle.NOTHING,
                (v1, v2) -> assertDefault(v2, "items", "score", "4", "4"));
    }

    @Test
    void alterColumnChangingTheDefault() throws Exception {
        lifecycle.run("02_qty", """
                operations:
                  - alter_column: {table: items, column: qty, default: "5"}
                """,
                (v1, v2) -> {
                    assertDefault(v1, "items", "qty", "1", "1");
                    assertDefault(v2, "items", "qty", "5", "5");
                },
                (v1, v2) -> assertDefault(v1, "items", "qty", "1", "1"),
                (v1, v2) -> assertDefault(v2, "items", "qty", "5", "5"));
    }

    @Test
    void aShadowColumnKeepsTheDefault() throws Exception {
        lifecycle.run("02_label_type", """
                operations:
                  - alter_column: {table: items, column: label, type: varchar(20), up: "label::varchar(20)", down: "label::text"}
                """,
                (v1, v2) -> {
                    assertDefault(v1, "items", "label", "old", "old");
                    assertDefault(v2, "items", "label", "old", "old");
                },
                Lifecycle.NOTHING,
                (v1, v2) -> assertDefault(v2, "items", "label", "old", "old"));
    }

    @Test
    void renameColumn() throws Exception {
        lifecycle.run("02_title", """
                operations:
                  - rename_column: {table: items, from: label, to: title}
                """,
                (v1, v2) -> {
                    assertDefault(v1, "items", "label", "old", "old");
                    assertDefault(v2, "items", "title", "old", "old");
                },
                Lifecycle.NOTHING,
                (v1, v2) -> assertDefault(v2, "items", "title", "old", "old"));
    }

    @Test
    void createTable() throws Exception {
        lifecycle.run("02_tags", """
                operations:
                  - create_table:
                      name: tags
                      columns:
                        - {name: id, type: bigserial, pk: true}
                        - {name: name, type: text, default: "'tag'"}
                        - {name: note, type: text, nullable: true}
                """,
                (v1, v2) -> {
                    v2.execute("DELETE FROM tags");
                    assertDefault(v2, "tags", "name", "tag", "tag");
                },
                Lifecycle.NOTHING,
                (v1, v2) -> {
                    assertDefault(v2, "tags", "name", "tag", "tag");
                    v2.execute("UPDATE tags SET id = DEFAULT WHERE name = 'tag'");
                    assertThat(v2.rows("SELECT id FROM tags WHERE id IS NULL")).isEmpty();
                });
    }

    @Test
    void splitTable() throws Exception {
        lifecycle.run("02_places", """
                operations:
                  - split_table:
                      table: items
                      into: places
                      key: item_id
                      columns:
                        city: town
                """,
                (v1, v2) -> {
                    assertDefault(v1, "items", "city", "Paris", "Paris");
                    v2.execute("INSERT INTO places (item_id) VALUES (1) ON CONFLICT DO NOTHING");
                    v2.execute("UPDATE places SET town = 'Lyon' WHERE item_id = 1");
                    v2.execute("UPDATE places SET town = DEFAULT WHERE item_id = 1");
                    assertThat(ColumnOpsSupport.lines(v2.rows("SELECT town FROM places WHERE item_id = 1"))).containsExactly("Paris");
                },
                Lifecycle.NOTHING, Lifecycle.NOTHING);
    }

    /**
     * Through {@code version}: a row inserted without {@code column} gets {@code inserted}; the same row set to DEFAULT
     * after another value gets {@code updated}. The row is marked in {@code note}, which every table here has.
     */
    private static void assertDefault(VersionClient version, String table, String column, String inserted, String updated)
            throws SQLException {
        String mark = "probe " + column;
        version.execute("INSERT INTO " + table + " (note) VALUES ('" + mark + "')");
        assertThat(value(version, table, column, mark)).as("%s.%s left out of an INSERT through %s", table, column, version.schema())
                .isEqualTo(inserted);
        version.execute("UPDATE " + table + " SET " + column + " = DEFAULT WHERE note = '" + mark + "'");
        assertThat(value(version, table, column, mark)).as("%s.%s set to DEFAULT through %s", table, column, version.schema())
                .isEqualTo(updated);
        version.execute("DELETE FROM " + table + " WHERE note = '" + mark + "'");
    }

    private static String value(VersionClient version, String table, String column, String mark) throws SQLException {
        Object value = version.rows("SELECT " + column + " AS v FROM " + table + " WHERE note = '" + mark + "'").get(0).get("v");
        return value == null ? null : value.toString();
    }
}
