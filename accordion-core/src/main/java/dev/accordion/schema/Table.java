package dev.accordion.schema;

import dev.accordion.sql.Identifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A table as one version sees it. {@code name} is logical; {@code physicalName} is the table's
 * name in the database while a migration is active (they differ during a rename).
 */
public record Table(Identifier name, Identifier physicalName, List<Column> columns,
                    List<Constraint> constraints, List<Index> indexes, Optional<String> comment) {

    public Table {
        columns = List.copyOf(columns);
        constraints = List.copyOf(constraints);
        indexes = List.copyOf(indexes);
    }

    public static Table of(Identifier name, List<Column> columns) {
        return new Table(name, name, columns, List.of(), List.of(), Optional.empty());
    }

    public Optional<Column> column(Identifier columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    public Optional<Constraint> constraint(Identifier constraintName) {
        return constraints.stream().filter(c -> c.name().equals(constraintName)).findFirst();
    }

    public Optional<Index> index(Identifier indexName) {
        return indexes.stream().filter(i -> i.name().equals(indexName)).findFirst();
    }

    public Optional<Constraint> primaryKey() {
        return constraints.stream().filter(c -> c.type() == ConstraintType.PRIMARY_KEY).findFirst();
    }

    public Table renamed(Identifier newName) {
        return new Table(newName, physicalName, columns, constraints, indexes, comment);
    }

    public Table withColumns(List<Column> newColumns) {
        return new Table(name, physicalName, newColumns, constraints, indexes, comment);
    }

    public Table withColumn(Column column) {
        List<Column> all = new ArrayList<>(columns);
        all.add(column);
        return withColumns(all);
    }

    public Table mapColumn(Identifier columnName, UnaryOperator<Column> change) {
        return withColumns(columns.stream().map(c -> c.name().equals(columnName) ? change.apply(c) : c).toList());
    }

    public Table withoutColumn(Identifier columnName) {
        return new Table(name, physicalName,
                columns.stream().filter(c -> !c.name().equals(columnName)).toList(),
                constraints.stream().filter(c -> !c.columns().contains(columnName)).toList(),
                indexes.stream().filter(i -> !i.columns().contains(columnName)).toList(),
                comment);
    }

    /** Renames a column logically, in the constraints and indexes that use it too. */
    public Table withColumnRenamed(Identifier from, Identifier to) {
        return new Table(name, physicalName,
                columns.stream().map(c -> c.name().equals(from) ? c.renamed(to) : c).toList(),
                constraints.stream().map(c -> c.withColumnRenamed(from, to)).toList(),
                indexes.stream().map(i -> i.withColumnRenamed(from, to)).toList(),
                comment);
    }

    public Table withConstraints(List<Constraint> newConstraints) {
        return new Table(name, physicalName, columns, newConstraints, indexes, comment);
    }

    public Table withIndexes(List<Index> newIndexes) {
        return new Table(name, physicalName, columns, constraints, newIndexes, comment);
    }

    public Table withComment(Optional<String> newComment) {
        return new Table(name, physicalName, columns, constraints, indexes, newComment);
    }

    /** The table once every migration is complete: physical names equal logical names. */
    public Table settled() {
        return new Table(name, name, columns.stream().map(Column::settled).toList(), constraints, indexes, comment);
    }
}
