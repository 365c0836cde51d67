package dev.accordion.postgres.ops;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.postgres.Locks;
import dev.accordion.schema.Column;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.QualifiedName;
import java.util.ArrayList;
import java.util.List;

/**
 * At complete, gives every renamed table and column its logical name, derived from the schema the
 * whole migration leads to, so that several renames of one object compose. One short transaction
 * per table: columns first, then the table.
 */
final class NameSettling {

    private NameSettling() {
    }

    static void plan(Identifier schema, SchemaSnapshot result, PhaseSteps complete) {
        complete.scope("names");
        for (Table table : result.tables()) {
            QualifiedName physical = new QualifiedName(schema, table.physicalName());
            List<String> sql = new ArrayList<>();
            for (Column column : table.columns()) {
                if (!column.physicalName().equals(column.name())) {
                    sql.add(SQL.format("ALTER TABLE {} RENAME COLUMN {} TO {}", physical, column.physicalName(), column.name()));
                }
            }
            if (!table.physicalName().equals(table.name())) {
                sql.add(SQL.format("ALTER TABLE {} RENAME TO {}", physical, table.name()));
            }
            if (!sql.isEmpty()) {
                complete.inTransaction(table.name().name(), "give table " + SQL.quote(table.name())
                        + " and its columns their new names", List.of(Locks.accessExclusive(physical)), sql.toArray(String[]::new));
            }
        }
    }
}
