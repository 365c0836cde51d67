package dev.accordion.migration;

import dev.accordion.schema.Column;
import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import java.util.Collection;
import java.util.Optional;
import java.util.stream.Collectors;

/** The checks every operation shares, phrased the same way everywhere. */
final class Require {

    private Require() {
    }

    static boolean present(Object value, String field, Problems problems) {
        if (value == null) {
            problems.add("the field \"" + field + "\" is required");
            return false;
        }
        return true;
    }

    static Optional<Table> table(SchemaSnapshot schema, Identifier name, Problems problems) {
        if (name == null) {
            return Optional.empty();
        }
        Optional<Table> table = schema.table(name);
        if (table.isEmpty()) {
            problems.add("table \"" + name + "\" does not exist" + known("tables", schema.tables().stream().map(Table::name).toList()));
        }
        return table;
    }

    static Optional<Column> column(Table table, Identifier name, Problems problems) {
        if (name == null) {
            return Optional.empty();
        }
        Optional<Column> column = table.column(name);
        if (column.isEmpty()) {
            problems.add("column \"" + name + "\" does not exist in table \"" + table.name() + "\""
                    + known("columns", table.columns().stream().map(Column::name).toList()));
        }
        return column;
    }

    static void newTableName(SchemaSnapshot schema, Identifier name, Problems problems) {
        if (name != null && schema.relationNameTaken(name)) {
            problems.add("a table or index named \"" + name + "\" already exists; choose another name");
        }
    }

    static void newColumnName(Table table, Identifier name, Problems problems) {
        if (name != null && table.columns().stream().anyMatch(c -> c.name().equals(name) || c.physicalName().equals(name))) {
            problems.add("table \"" + table.name() + "\" already has a column named \"" + name + "\"; choose another name");
        }
    }

    static String known(String what, Collection<Identifier> names) {
        if (names.isEmpty()) {
            return " (there are no " + what + ")";
        }
        return " (" + what + ": " + list(names) + ")";
    }

    static String list(Collection<Identifier> names) {
        return names.stream().map(n -> "\"" + n + "\"").sorted().collect(Collectors.joining(", "));
    }
}
