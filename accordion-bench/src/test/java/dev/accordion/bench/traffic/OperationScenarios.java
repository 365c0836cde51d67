package dev.accordion.bench.traffic;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Function;

/**
 * One scenario per operation of the format, over items(id, label, qty, note, tag_id) and tags(id, name): what a
 * client of each version writes, and how the versions' views must agree. Old-version clients write what the old
 * schema allows (null and negative quantities, tags that do not exist); new-version clients what the new one allows.
 */
final class OperationScenarios {

    static final String SEED_NAME = "01_items";
    static final String SEED_YAML = """
            operations:
              - create_table:
                  name: tags
                  columns:
                    - {name: id, type: serial, pk: true}
                    - {name: name, type: text}
              - create_table:
                  name: items
                  columns:
                    - {name: id, type: serial, pk: true}
                    - {name: label, type: text, check: {name: items_label_length, constraint: length(label) < 100}}
                    - {name: qty, type: integer, nullable: true}
                    - {name: note, type: text, nullable: true}
                    - {name: tag_id, type: integer, nullable: true}
              - create_index: {name: items_qty_idx, table: items, columns: [qty]}
            """;

    private static final Function<ClientState, Object> LABEL = s -> "item " + s.random().nextLong();
    private static final Function<ClientState, Object> ANY_QTY = s -> s.random().nextInt(10) == 0 ? null : s.random().nextInt(1000) - 5;
    private static final Function<ClientState, Object> QTY = s -> s.random().nextInt(1000);
    private static final Function<ClientState, Object> NOTE = s -> "note " + s.statements();
    private static final Function<ClientState, Object> ANY_TAG = s -> 1 + s.random().nextInt(120);
    private static final Function<ClientState, Object> TAG = s -> 1 + s.random().nextInt(100);

    /** The old version's client: every column, any value the old schema takes. */
    private static final RowClient OLD_ITEMS = RowClient.of("items").column("label", LABEL).column("qty", ANY_QTY)
            .column("note", NOTE).column("tag_id", ANY_TAG);
    private static final String ALL_COLUMNS = "label, qty, note, tag_id";

    static final List<Scenario> ALL = List.of(
            scenario("add_column with up", "02_add_score", """
                    operations:
                      - add_column:
                          table: items
                          up: coalesce(qty, 0) * 2
                          column: {name: score, type: integer, default: '0'}
                    """, OLD_ITEMS, OLD_ITEMS.column("score", QTY), same("items", ALL_COLUMNS)),
            scenario("drop_column with down", "02_drop_note", """
                    operations:
                      - drop_column: {table: items, column: note, down: "'written by v2'"}
                    """, OLD_ITEMS, RowClient.of("items").column("label", LABEL).column("qty", ANY_QTY).column("tag_id", ANY_TAG),
                    same("items", "label, qty, tag_id")),
            scenario("alter_column nullable false", "02_qty_not_null", """
                    operations:
                      - alter_column: {table: items, column: qty, nullable: false, up: "coalesce(qty, 0)"}
                    """, OLD_ITEMS, OLD_ITEMS.column("qty", QTY), agree("items", "items", "o.label, coalesce(o.qty, 0)", "n.label, n.qty")),
            scenario("alter_column type, carrying an index", "02_qty_bigint", """
                    operations:
                      - alter_column: {table: items, column: qty, type: bigint, up: qty, down: qty::integer}
                    """, OLD_ITEMS, OLD_ITEMS, same("items", ALL_COLUMNS)),
            scenario("alter_column default", "02_note_default", """
                    operations:
                      - alter_column: {table: items, column: note, default: "'none'"}
                    """, OLD_ITEMS, OLD_ITEMS, same("items", ALL_COLUMNS)),
            scenario("rename_column", "02_label_title", """
                    operations:
                      - rename_column: {table: items, from: label, to: title}
                    """, OLD_ITEMS, RowClient.of("items").column("title", LABEL).column("qty", ANY_QTY).column("tag_id", ANY_TAG),
                    agree("items", "items", "o.label, o.qty, o.tag_id", "n.title, n.qty, n.tag_id")),
            scenario("create_constraint check", "02_qty_check", """
                    operations:
                      - create_constraint:
                          type: check
                          table: items
                          name: items_qty_nonnegative
                          columns: [qty]
                          check: qty IS NULL OR qty >= 0
                          up: {qty: "greatest(qty, 0)"}
                    """, OLD_ITEMS, OLD_ITEMS.column("qty", QTY), agree("items", "items", "o.label, greatest(o.qty, 0)", "n.label, n.qty")),
            scenario("create_constraint unique", "02_label_unique", """
                    operations:
                      - create_constraint: {type: unique, table: items, name: items_label_key, columns: [label]}
                    """, OLD_ITEMS, OLD_ITEMS, same("items", ALL_COLUMNS)),
            scenario("create_constraint foreign_key", "02_tag_fk", """
                    operations:
                      - create_constraint:
                          type: foreign_key
                          table: items
                          name: items_tag_fk
                          columns: [tag_id]
                          references: {table: tags, columns: [id]}
                          up: {tag_id: "CASE WHEN EXISTS (SELECT 1 FROM tags t WHERE t.id = tag_id) THEN tag_id END"}
                    """, OLD_ITEMS, OLD_ITEMS.column("tag_id", TAG),
                    agree("items", "items", "o.label, CASE WHEN o.tag_id <= 100 THEN o.tag_id END", "n.label, n.tag_id")),
            scenario("drop_constraint", "02_drop_label_length", """
                    operations:
                      - drop_constraint: {table: items, name: items_label_length, up: label, down: "left(label, 99)"}
                    """, OLD_ITEMS, OLD_ITEMS, same("items", ALL_COLUMNS)),
            scenario("create_index", "02_label_index", """
                    operations:
                      - create_index: {name: items_label_idx, table: items, columns: [label]}
                    """, OLD_ITEMS, OLD_ITEMS, same("items", ALL_COLUMNS)),
            scenario("drop_index", "02_drop_qty_index", """
                    operations:
                      - drop_index: {name: items_qty_idx}
                    """, OLD_ITEMS, OLD_ITEMS, same("items", ALL_COLUMNS)),
            scenario("rename_table", "02_items_things", """
                    operations:
                      - rename_table: {from: items, to: things}
                    """, OLD_ITEMS, RowClient.of("things").column("label", LABEL).column("qty", ANY_QTY).column("note", NOTE)
                    .column("tag_id", ANY_TAG), agree("items", "things", "o.label, o.qty, o.note, o.tag_id", "n.label, n.qty, n.note, n.tag_id")),
            scenario("create_table", "02_reviews", """
                    operations:
                      - create_table:
                          name: reviews
                          columns:
                            - {name: id, type: serial, pk: true}
                            - {name: body, type: text}
                    """, OLD_ITEMS, RowClient.of("reviews").column("body", NOTE), same("items", ALL_COLUMNS)),
            scenario("drop_table", "02_drop_tags", """
                    operations:
                      - drop_table: {name: tags}
                    """, RowClient.of("tags").column("name", NOTE), OLD_ITEMS, same("items", ALL_COLUMNS)),
            scenario("set_replica_identity", "02_items_full", """
                    operations:
                      - set_replica_identity: {table: items, identity: {type: full}}
                    """, OLD_ITEMS, OLD_ITEMS, same("items", ALL_COLUMNS)),
            scenario("sql with down", "02_note_index", """
                    operations:
                      - sql: {up: CREATE INDEX items_note_idx ON items (note), down: DROP INDEX items_note_idx}
                    """, OLD_ITEMS, OLD_ITEMS, same("items", ALL_COLUMNS)));

    private OperationScenarios() {
    }

    /** 100 tags, and {@code rows} items, some with no quantity, some negative, some with a tag that does not exist. */
    static void load(Connection connection, int rows) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO tags (name) SELECT 'tag ' || i FROM generate_series(1, 100) AS i");
            statement.execute("INSERT INTO items (label, qty, note, tag_id) SELECT 'item ' || i, CASE WHEN i % 7 = 0 THEN NULL "
                    + "ELSE i % 1000 - 5 END, 'note ' || i, i % 120 + 1 FROM generate_series(1, " + rows + ") AS i");
        }
    }

    private static Scenario scenario(String title, String name, String yaml, ClientScript oldVersion, ClientScript newVersion,
                                     Scenario.Disagreements disagreements) {
        return new Scenario(title, name, yaml, oldVersion, newVersion, disagreements);
    }

    /** Both versions see the table under one name with {@code columns} the same. */
    private static Scenario.Disagreements same(String table, String columns) {
        String[] names = columns.split(", ");
        return agree(table, table, "o." + String.join(", o.", names), "n." + String.join(", n.", names));
    }

    /** Rows of the old version's {@code oldTable} and the new one's {@code newTable}, matched by id, compared as given. */
    private static Scenario.Disagreements agree(String oldTable, String newTable, String oldValues, String newValues) {
        return (oldSchema, newSchema) -> "SELECT count(*) FROM \"" + oldSchema + "\"." + oldTable + " o FULL JOIN \"" + newSchema + "\"."
                + newTable + " n ON n.id = o.id WHERE (o.id, " + oldValues + ") IS DISTINCT FROM (n.id, " + newValues + ")";
    }
}
