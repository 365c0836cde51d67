package dev.accordion.migration;

import dev.accordion.schema.Column;
import dev.accordion.schema.Constraint;
import dev.accordion.schema.ConstraintType;
import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

public record CreateTable(Identifier name, List<ColumnSpec> columns, List<ConstraintSpec> constraints, String comment)
        implements Operation {

    public CreateTable {
        columns = columns == null ? List.of() : List.copyOf(columns);
        constraints = constraints == null ? List.of() : List.copyOf(constraints);
    }

    public List<ColumnSpec> primaryKeyColumns() {
        return columns.stream().filter(ColumnSpec::isPrimaryKey).toList();
    }

    /** The name PostgreSQL gives a primary key declared on columns: {@code <table>_pkey}. */
    public Identifier primaryKeyName() {
        return Identifier.of(name.name() + "_pkey");
    }

    @Override
    public SchemaSnapshot applyTo(SchemaSnapshot before, Problems problems) {
        if (!Require.present(name, "name", problems)) {
            return before;
        }
        Require.newTableName(before, name, problems); // no columns is fine: PostgreSQL allows a table without any
        Set<Identifier> seen = new HashSet<>();
        List<Identifier> selfReferences = new ArrayList<>();
        for (ColumnSpec column : columns) {
            if (!Require.present(column.name(), "columns[].name", problems)) {
                continue;
            }
            if (!seen.add(column.name())) {
                problems.add("column \"" + column.name() + "\" is declared twice");
            }
            Require.present(column.type(), "type of column \"" + column.name() + "\"", problems);
            if (column.check() != null) {
                Require.present(column.check().name(), "check.name of column \"" + column.name() + "\"", problems);
                Require.present(column.check().constraint(), "check.constraint of column \"" + column.name() + "\"", problems);
            }
            if (column.references() != null) {
                ColumnSpec.ReferencesSpec references = column.references();
                boolean named = Require.present(references.table(), "references.table of column \"" + column.name() + "\"", problems)
                        & Require.present(references.column(), "references.column of column \"" + column.name() + "\"", problems);
                if (named && references.table().equals(name)) {
                    selfReferences.add(references.column());
                } else if (named) {
                    Require.table(before, references.table(), problems).ifPresent(target -> Require.column(target, references.column(), problems));
                }
            }
        }
        for (Identifier column : selfReferences) {
            if (!seen.contains(column)) {
                problems.add("a foreign key references column \"" + column + "\", which table \"" + name + "\" does not declare");
            }
        }
        List<Constraint> tableConstraints = new ArrayList<>();
        if (!primaryKeyColumns().isEmpty()) {
            tableConstraints.add(new Constraint(primaryKeyName(), ConstraintType.PRIMARY_KEY,
                    primaryKeyColumns().stream().map(ColumnSpec::name).toList(), Optional.empty()));
        }
        for (ConstraintSpec spec : constraints) {
            tableConstraint(spec, seen, before, problems).ifPresent(tableConstraints::add);
        }
        if (tableConstraints.stream().filter(c -> c.type() == ConstraintType.PRIMARY_KEY).count() > 1) {
            problems.add("table \"" + name + "\" declares a primary key twice: use either pk: true on columns or one primary_key constraint");
        }
        List<Column> newColumns = columns.stream().filter(c -> c.name() != null).map(ColumnSpec::toColumn)
                .map(c -> tableConstraints.stream().anyMatch(k -> k.type() == ConstraintType.PRIMARY_KEY && k.columns().contains(c.name()))
                        ? new Column(c.name(), c.physicalName(), c.type(), false, c.defaultExpr(), c.comment(), c.generation()) : c)
                .toList();
        Table table = Table.of(name, newColumns).withConstraints(tableConstraints).withComment(Optional.ofNullable(comment));
        return before.withTable(table);
    }

    private Optional<Constraint> tableConstraint(ConstraintSpec spec, Set<Identifier> columnNames,
                                                 SchemaSnapshot before, Problems problems) {
        if (!Require.present(spec.name(), "constraints[].name", problems)
                || !Require.present(spec.type(), "type of constraint \"" + spec.name() + "\"", problems)) {
            return Optional.empty();
        }
        ConstraintType type;
        switch (spec.type()) {
            case "primary_key" -> type = ConstraintType.PRIMARY_KEY;
            case "unique" -> type = ConstraintType.UNIQUE;
            case "check" -> type = ConstraintType.CHECK;
            case "foreign_key" -> type = ConstraintType.FOREIGN_KEY;
            case "exclude" -> type = ConstraintType.EXCLUDE;
            default -> {
                problems.add("constraint \"" + spec.name() + "\" has unknown type \"" + spec.type()
                        + "\" (types: check, exclude, foreign_key, primary_key, unique)");
                return Optional.empty();
            }
        }
        for (Identifier column : spec.columnsOrEmpty()) {
            if (!columnNames.contains(column)) {
                problems.add("constraint \"" + spec.name() + "\" names column \"" + column + "\", which table \"" + name + "\" does not declare");
            }
        }
        switch (type) {
            case CHECK -> Require.present(spec.check(), "check of constraint \"" + spec.name() + "\"", problems);
            case EXCLUDE -> Require.present(spec.exclude(), "exclude of constraint \"" + spec.name() + "\"", problems);
            case FOREIGN_KEY -> {
                if (Require.present(spec.references(), "references of constraint \"" + spec.name() + "\"", problems)
                        && Require.present(spec.references().table(), "references.table of constraint \"" + spec.name() + "\"", problems)
                        && Require.present(spec.references().columns(), "references.columns of constraint \"" + spec.name() + "\"", problems)) {
                    Optional<Table> target = spec.references().table().equals(name) ? Optional.empty()
                            : Require.table(before, spec.references().table(), problems);
                    target.ifPresent(t -> spec.references().columns().forEach(c -> Require.column(t, c, problems)));
                }
            }
            default -> {
                if (spec.columnsOrEmpty().isEmpty()) {
                    problems.add("constraint \"" + spec.name() + "\" needs columns");
                }
            }
        }
        Optional<Identifier> referenced = type == ConstraintType.FOREIGN_KEY && spec.references() != null
                ? Optional.ofNullable(spec.references().table()) : Optional.empty();
        return Optional.of(new Constraint(spec.name(), type, spec.columnsOrEmpty(), referenced));
    }
}
