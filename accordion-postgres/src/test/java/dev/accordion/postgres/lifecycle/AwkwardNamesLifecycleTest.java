package dev.accordion.postgres.lifecycle;

import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.lines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.postgres.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Names that are legal when quoted and look like SQL templates or format strings (issue 11): {@code {}} is the
 * placeholder of Accordion's SQL builder, {@code %s} that of String.format, and quotes and spaces must survive quoting.
 * Every operation's plan must treat them as names, whatever it builds from them.
 */
class AwkwardNamesLifecycleTest {

    private static final String TABLE = "t{}a %s 'q' \\\"x\\\" ";
    private static final String TABLE_SQL = "\"t{}a %s 'q' \"\"x\"\" \"";

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private Lifecycle lifecycle;

    @BeforeEach
    void awkwardTable() throws Exception {
        lifecycle = new Lifecycle(db);
        lifecycle.given("01_awkward", """
                operations:
                  - create_table:
                      name: "%s"
                      columns:
                        - {name: "i{}d", type: serial, pk: true}
                        - {name: "a{}b", type: integer, default: "1"}
                        - {name: "c %%s \\"d\\"", type: text, nullable: true}
                """.formatted(TABLE));
        lifecycle.version("01_awkward").execute("INSERT INTO " + TABLE_SQL + " (\"c %s \"\"d\"\"\") VALUES ('seed')");
    }

    @Test
    void addColumn() throws Exception {
        lifecycle.run("02_add", """
                operations:
                  - add_column:
                      table: "%s"
                      up: "\\"a{}b\\" * 10"
                      column: {name: "e{}{} '%%s'", type: integer, nullable: true}
                """.formatted(TABLE),
                (v1, v2) -> {
                    v1.execute("UPDATE " + TABLE_SQL + " SET \"a{}b\" = 2");
                    assertThat(lines(v2.rows("SELECT \"e{}{} '%s'\" FROM " + TABLE_SQL))).containsExactly("20");
                },
                Lifecycle.NOTHING,
                (v1, v2) -> assertThat(lines(v2.rows("SELECT \"a{}b\", \"e{}{} '%s'\" FROM " + TABLE_SQL))).containsExactly("2|20"));
    }

    @Test
    void renameColumn() throws Exception {
        lifecycle.run("02_rename", """
                operations:
                  - rename_column: {table: "%s", from: "a{}b", to: "{} b{}"}
                """.formatted(TABLE),
                (v1, v2) -> {
                    v2.execute("UPDATE " + TABLE_SQL + " SET \"{} b{}\" = DEFAULT");
                    assertThat(lines(v1.rows("SELECT \"a{}b\" FROM " + TABLE_SQL))).containsExactly("1");
                },
                Lifecycle.NOTHING,
                (v1, v2) -> assertThat(lines(v2.rows("SELECT \"{} b{}\" FROM " + TABLE_SQL))).containsExactly("1"));
    }

    @Test
    void alterColumn() throws Exception {
        lifecycle.run("02_alter", """
                operations:
                  - alter_column:
                      table: "%s"
                      column: "a{}b"
                      name: "{}%%s"
                      type: bigint
                      default: "5"
                      up: "\\"a{}b\\"::bigint * 100"
                      down: "(\\"{}%%s\\" / 100)::integer"
                """.formatted(TABLE),
                (v1, v2) -> {
                    v2.execute("INSERT INTO " + TABLE_SQL + " (\"c %s \"\"d\"\"\") VALUES ('v2')");
                    assertThat(lines(v2.rows("SELECT \"{}%s\" FROM " + TABLE_SQL + " ORDER BY 1"))).containsExactly("5", "100");
                    assertThat(lines(v1.rows("SELECT \"a{}b\" FROM " + TABLE_SQL + " ORDER BY 1"))).containsExactly("0", "1");
                    v2.execute("DELETE FROM " + TABLE_SQL + " WHERE \"c %s \"\"d\"\"\" = 'v2'");
                },
                Lifecycle.NOTHING,
                (v1, v2) -> assertThat(lines(v2.rows("SELECT \"{}%s\" FROM " + TABLE_SQL))).containsExactly("100"));
    }
}
