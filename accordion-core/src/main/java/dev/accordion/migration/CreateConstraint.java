package dev.accordion.migration;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.accordion.schema.Column;
import dev.accordion.schema.Constraint;
import dev.accordion.schema.ConstraintType;
import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.SqlExpr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Adds a constraint over existing columns; {@code up}/{@code down} map each column to its expression. The new version
 * sees each constrained column in a shadow column that carries the constraint (pgroll's model): {@code up} turns the old
 * version's values into ones that meet it, {@code down} turns them back.
 */
public record CreateConstraint(
        Identifier table,
        Identifier name,
        String type,
        List<Identifier> columns,
        SqlExpr check,
        ConstraintSpec.ForeignKeyReference references,
        @JsonProperty("no_inherit") Boolean noInherit,
        @JsonProperty("nulls_not_distinct") Boolean nullsNotDistinct,
        Boolean deferrable,
        @JsonProperty("initially_deferred") Boolean initiallyDeferred,
        @JsonProperty("index_parameters") ConstraintSpec.IndexParameters indexParameters,
        Map<Identifier, SqlExpr> up,
        Map<Identifier, SqlExpr> down) implements Operation {

    public CreateConstraint {
        columns = columns == null ? List.of() : List.copyOf(columns);
    }

    @Override
    public SchemaSnapshot applyTo(SchemaSnapshot before, Problems problems) {
        boolean named = Require.present(table, "table", problems) & Require.present(name, "name", problems)
                & Require.present(type, "type", problems);
        Optional<Table> target = named ? Require.table(before, table, problems) : Optional.empty();
        if (target.isEmpty()) {
            return before;
        }
        ConstraintType kind = switch (type) {
            case "unique" -> ConstraintType.UNIQUE;
            case "check" -> ConstraintType.CHECK;
            case "foreign_key" -> ConstraintType.FOREIGN_KEY;
            case "primary_key" -> ConstraintType.PRIMARY_KEY;
            default -> null;
        };
        if (kind == null) {
            problems.add("constraint type \"" + type + "\" is unknown (types: check, foreign_key, primary_key, unique)");
            return before;
        }
        if (columns.isEmpty()) {
            problems.add("constraint \"" + name + "\" needs columns");
        }
        columns.forEach(c -> Require.column(target.get(), c, problems));
        if (target.get().constraint(name).isPresent()) {
            problems.add("constraint \"" + name + "\" already exists on table \"" + table + "\"; choose another name");
        } else if ((kind == ConstraintType.UNIQUE || kind == ConstraintType.PRIMARY_KEY) && before.relationNameTaken(name)) {
            problems.add("a table or index named \"" + name + "\" already exists, and the index of constraint \"" + name
                    + "\" would take that name; choose another name");
        }
        ConstraintRemoval.expressionsNameConstrainedColumns("up", up, name, columns, problems);
        ConstraintRemoval.expressionsNameConstrainedColumns("down", down, name, columns, problems);
        if (kind == ConstraintType.CHECK) {
            Require.present(check, "check", problems);
        }
        if (kind == ConstraintType.FOREIGN_KEY && Require.present(references, "references", problems)) {
            Require.table(before, references.table(), problems)
                    .ifPresent(t -> Optional.ofNullable(references.columns()).orElse(List.of()).forEach(c -> Require.column(t, c, problems)));
            if (references.columns() == null || references.columns().size() != columns.size()) {
                problems.add("foreign key \"" + name + "\" has " + columns.size() + " columns but references "
                        + (references.columns() == null ? 0 : references.columns().size()) + "; give as many references.columns as columns");
            }
        }
        if (kind == ConstraintType.PRIMARY_KEY && target.get().primaryKey().isPresent()) {
            problems.add("table \"" + table + "\" already has primary key \"" + target.get().primaryKey().get().name() + "\"");
        }
        List<Constraint> constraints = new ArrayList<>(target.get().constraints());
        constraints.add(new Constraint(name, kind, columns,
                kind == ConstraintType.FOREIGN_KEY && references != null ? Optional.ofNullable(references.table()) : Optional.empty()));
        return before.mapTable(table, t -> shadowed(t.withConstraints(constraints)));
    }

    /** The table with each constrained column held by its shadow column, which carries the constraint. */
    private Table shadowed(Table table) {
        Table result = table;
        for (Identifier column : columns.stream().distinct().toList()) {
            result = result.mapColumn(column, Column::inShadow);
        }
        return result;
    }
}
