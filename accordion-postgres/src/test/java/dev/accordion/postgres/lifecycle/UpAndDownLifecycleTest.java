package dev.accordion.postgres.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.migration.MigrationReader;
import dev.accordion.postgres.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * add_column with {@code up} (existing rows and the old version's writes get the value computed from the row) and
 * drop_column with {@code down} (the new version's writes fill the column the old version still reads).
 */
class UpAndDownLifecycleTest {

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private Lifecycle lifecycle;

    @BeforeEach
    void people() throws Exception {
        lifecycle = new Lifecycle(db);
        lifecycle.given("01_people", """
                operations:
                  - create_table:
                      name: people
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: first_name, type: text}
                        - {name: last_name, type: text}
                        - {name: legacy_code, type: text}
                """);
        db.execute("INSERT INTO public.people (first_name, last_name, legacy_code) "
                + "SELECT 'First' || n, 'Last' || n, 'L' || n FROM generate_series(1, 1500) n");
    }

    @Test
    void addColumnWithUpFillsExistingRowsAndTheOldVersionsWrites() throws Exception {
        lifecycle.run("02_full_name", """
                operations:
                  - add_column:
                      table: people
                      up: first_name || ' ' || last_name
                      column: {name: full_name, type: text}
                """,
                (v1, v2) -> {
                    assertThat(v1.columns("people")).containsExactly("id", "first_name", "last_name", "legacy_code");
                    assertThat(v2.rows("SELECT full_name FROM people WHERE id = 1500")).containsExactly(Map.of("full_name", "First1500 Last1500"));
                    assertThat(v2.rows("SELECT count(*) AS n FROM people WHERE full_name IS NULL")).containsExactly(Map.of("n", 0L));
                    v1.execute("INSERT INTO people (first_name, last_name, legacy_code) VALUES ('Ada', 'Lovelace', 'x')");
                    v1.execute("UPDATE people SET last_name = 'Byron' WHERE id = 1");
                    v2.execute("INSERT INTO people (first_name, last_name, legacy_code, full_name) VALUES ('Grace', 'Hopper', 'y', 'Amazing Grace')");
                    assertThat(v2.rows("SELECT full_name FROM people WHERE id = 1 OR id > 1500 ORDER BY id")).extracting(r -> r.get("full_name"))
                            .containsExactly("First1 Byron", "Ada Lovelace", "Amazing Grace");
                    v1.execute("DELETE FROM people WHERE id > 1500");
                    v1.execute("UPDATE people SET last_name = 'Last1' WHERE id = 1");
                },
                (v1, v2) -> assertThat(db.queryStrings("SELECT column_name FROM information_schema.columns "
                        + "WHERE table_schema = 'public' AND table_name = 'people' ORDER BY ordinal_position"))
                        .containsExactly("id", "first_name", "last_name", "legacy_code"),
                (v1, v2) -> {
                    assertThat(db.queryString("SELECT is_nullable FROM information_schema.columns "
                            + "WHERE table_schema = 'public' AND table_name = 'people' AND column_name = 'full_name'")).isEqualTo("NO");
                    assertThat(v2.rows("SELECT full_name FROM people WHERE id = 1")).containsExactly(Map.of("full_name", "First1 Last1"));
                });
    }

    @Test
    void aVolatileDefaultWithUpIsSetForNewRowsWhileTheBackfillFillsTheOldOnes() throws Exception {
        lifecycle.run("02_token", """
                operations:
                  - add_column:
                      table: people
                      up: md5(id::text)
                      column: {name: token, type: text, default: md5(random()::text)}
                """,
                (v1, v2) -> {
                    assertThat(v2.rows("SELECT token FROM people WHERE id = 1")).containsExactly(Map.of("token", md5("1")));
                    v2.execute("INSERT INTO people (first_name, last_name, legacy_code) VALUES ('new', 'row', 'n')");
                    v1.execute("INSERT INTO people (first_name, last_name, legacy_code) VALUES ('old', 'client', 'o')");
                    assertThat(v2.rows("SELECT token FROM people WHERE first_name IN ('new', 'old')"))
                            .hasSize(2).allSatisfy(r -> assertThat((String) r.get("token")).hasSize(32));
                    v1.execute("DELETE FROM people WHERE id > 1500");
                },
                (v1, v2) -> assertThat(v1.columns("people")).doesNotContain("token"),
                (v1, v2) -> {
                    assertThat(db.queryString("SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a "
                            + "ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE a.attrelid = 'public.people'::regclass "
                            + "AND a.attname = 'token'")).isEqualTo("md5((random())::text)");
                    assertThat(db.queryString("SELECT count(DISTINCT token) FROM public.people")).isEqualTo("1500");
                });
    }

    private static String md5(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void dropColumnWithDownFillsTheColumnForTheOldVersionFromTheNewVersionsWrites() throws Exception {
        lifecycle.run("02_no_legacy_code", """
                operations:
                  - drop_column:
                      table: people
                      column: legacy_code
                      down: upper(left(first_name, 1) || left(last_name, 1))
                """,
                (v1, v2) -> {
                    assertThat(v2.columns("people")).containsExactly("id", "first_name", "last_name");
                    v2.execute("INSERT INTO people (first_name, last_name) VALUES ('ada', 'lovelace')");
                    v2.execute("UPDATE people SET first_name = 'grace', last_name = 'hopper' WHERE id = 2");
                    assertThat(v1.rows("SELECT legacy_code FROM people WHERE id IN (1, 2) OR first_name = 'ada' ORDER BY id"))
                            .extracting(r -> r.get("legacy_code")).containsExactly("L1", "GH", "AL");
                    v1.execute("INSERT INTO people (first_name, last_name, legacy_code) VALUES ('old', 'client', 'OC')");
                    assertThat(v1.rows("SELECT legacy_code FROM people WHERE first_name = 'old'")).containsExactly(Map.of("legacy_code", "OC"));
                    v1.execute("DELETE FROM people WHERE id > 1500");
                    v1.execute("UPDATE people SET first_name = 'First2', last_name = 'Last2', legacy_code = 'L2' WHERE id = 2");
                },
                (v1, v2) -> assertThat(v1.rows("SELECT legacy_code FROM people WHERE id = 2")).containsExactly(Map.of("legacy_code", "L2")),
                (v1, v2) -> {
                    assertThat(db.queryStrings("SELECT column_name FROM information_schema.columns "
                            + "WHERE table_schema = 'public' AND table_name = 'people' ORDER BY ordinal_position"))
                            .containsExactly("id", "first_name", "last_name");
                    v2.execute("INSERT INTO people (first_name, last_name) VALUES ('after', 'complete')");
                    assertThat(v2.rows("SELECT count(*) AS n FROM people")).containsExactly(Map.of("n", 1501L));
                });
    }

    @Test
    void theSessionSettingNamesTheWritersVersionOverItsSearchPath() throws Exception {
        lifecycle.accordion().start(MigrationReader.parseYaml("02_no_legacy_code", """
                operations:
                  - drop_column: {table: people, column: legacy_code, down: "'from v2'"}
                """), false);
        db.execute("SET search_path TO public",
                "INSERT INTO people (first_name, last_name, legacy_code) VALUES ('plain', 'session', 'kept')");
        try (var connection = db.connect(); var statement = connection.createStatement()) {
            statement.execute("SET search_path TO \"public\", \"public_02_no_legacy_code\"");
            statement.execute("INSERT INTO people (first_name, last_name, legacy_code) VALUES ('public', 'first', 'kept too')");
            statement.execute("SET accordion.version = 'public_02_no_legacy_code'");
            statement.execute("INSERT INTO public.people (first_name, last_name, legacy_code) VALUES ('says', 'v2', 'ignored')");
            statement.execute("RESET accordion.version");
            statement.execute("SET search_path TO \"public_02_no_legacy_code\" , public");
            statement.execute("INSERT INTO people (first_name, last_name) VALUES ('path', 'v2')");
        }
        assertThat(db.queryStrings("SELECT legacy_code FROM public.people WHERE id > 1500 ORDER BY id"))
                .isEqualTo(List.of("kept", "kept too", "from v2", "from v2"));
    }

    @Test
    void anUpThatCannotWorkIsRefusedBeforeAnythingChanges() {
        assertThatThrownBy(() -> lifecycle.accordion().start(MigrationReader.parseYaml("02_bad_up", """
                operations:
                  - add_column:
                      table: people
                      up: first_name || middle_name
                      column: {name: full_name, type: text}
                """), false))
                .isInstanceOfSatisfying(AccordionException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MIGRATION);
                    assertThat(e.getMessage()).contains("up (first_name || middle_name)", "column \"middle_name\" does not exist");
                });
        lifecycle.assertOnlyVersionSchema("public_01_people");
        assertThat(db.queryStrings("SELECT column_name FROM information_schema.columns "
                + "WHERE table_schema = 'public' AND table_name = 'people' ORDER BY ordinal_position"))
                .containsExactly("id", "first_name", "last_name", "legacy_code");
    }
}
