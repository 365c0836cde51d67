package dev.accordion.postgres.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.postgres.testing.TestDatabase;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SQL run at complete may reshape a table; the live version schema's views must follow it, whatever it did. */
class SqlOnCompleteViewsTest {

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @Test
    void viewsAreRebuiltAfterSqlThatDropsAndRetypesColumns() throws Exception {
        Lifecycle lifecycle = new Lifecycle(db);
        lifecycle.given("01_items", """
                operations:
                  - create_table:
                      name: items
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: legacy_code, type: text, nullable: true}
                        - {name: qty, type: integer}
                """);
        lifecycle.version("01_items").execute("INSERT INTO items (legacy_code, qty) VALUES ('x', 3)");

        lifecycle.run("02_cleanup", """
                operations:
                  - sql:
                      up: ALTER TABLE items DROP COLUMN legacy_code; ALTER TABLE items ALTER COLUMN qty TYPE bigint
                      onComplete: true
                """,
                (v1, v2) -> assertThat(v2.columns("items")).containsExactly("id", "legacy_code", "qty"),
                (v1, v2) -> assertThat(v1.columns("items")).containsExactly("id", "legacy_code", "qty"),
                (v1, v2) -> {
                    assertThat(v2.columns("items")).containsExactly("id", "qty");
                    assertThat(db.queryString("SELECT data_type FROM information_schema.columns "
                            + "WHERE table_schema = 'public_02_cleanup' AND table_name = 'items' AND column_name = 'qty'"))
                            .isEqualTo("bigint");
                    v2.execute("INSERT INTO items (qty) VALUES (5000000000)");
                    assertThat(v2.rows("SELECT id, qty FROM items ORDER BY id"))
                            .containsExactly(Map.of("id", 1, "qty", 3L), Map.of("id", 2, "qty", 5000000000L));
                });
    }
}
