package dev.accordion.postgres.ops;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.migration.ColumnSpec;
import dev.accordion.migration.ConstraintSpec;
import dev.accordion.migration.CreateTable;
import dev.accordion.plan.LockClaim;
import dev.accordion.plan.LockLevel;
import dev.accordion.postgres.Locks;
import dev.accordion.schema.Column;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.Literal;
import dev.accordion.sql.QualifiedName;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** A new table is invisible to the old version, so it is created whole at start and dropped at rollback. */
final class CreateTablePlanner implements OperationPlanner<CreateTable> {

    @Override
    public void plan(CreateTable op, OperationContext context) {
        QualifiedName table = context.qualified(op.name());
        List<String> parts = new ArrayList<>();
        for (ColumnSpec column : op.columns()) {
            parts.add(columnDefinition(context.schema(), withPhysicalReference(column, op, context), op.primaryKeyColumns().size() == 1));
        }
        if (op.primaryKeyColumns().size() > 1) {
            parts.add(SQL.format("CONSTRAINT {} PRIMARY KEY ({})", op.primaryKeyName(),
                    op.primaryKeyColumns().stream().map(ColumnSpec::name).toList()));
        }
        for (ConstraintSpec constraint : op.constraints()) {
            parts.add(DefinitionSql.tableConstraint(context.schema(), op.name(), withPhysicalReference(constraint, op, context)));
        }
        List<String> sql = new ArrayList<>();
        sql.add(SQL.format("CREATE TABLE {} (\n  ", table) + String.join(",\n  ", parts) + "\n)");
        if (op.comment() != null) {
            sql.add(SQL.format("COMMENT ON TABLE {} IS {}", table, Literal.of(op.comment())));
        }
        for (ColumnSpec column : op.columns()) {
            if (column.comment() != null) {
                sql.add(SQL.format("COMMENT ON COLUMN {}.{} IS {}", table, column.name(), Literal.of(column.comment())));
            }
        }
        Set<Identifier> referenced = referencedTables(op);
        List<LockClaim> locks = referenced.stream()
                .map(t -> Locks.on(LockLevel.SHARE_ROW_EXCLUSIVE, context.physical(context.tableBefore(t)))).toList();
        context.start().inTransaction("create", "create table " + SQL.quote(table), locks, sql.toArray(String[]::new));

        List<LockClaim> dropLocks = Stream.concat(Stream.of(Locks.accessExclusive(table)),
                referenced.stream().map(t -> Locks.accessExclusive(context.physical(context.tableBefore(t))))).toList();
        context.rollback().inTransaction("drop", "drop table " + SQL.quote(table), dropLocks,
                SQL.format("DROP TABLE IF EXISTS {}", table));
    }

    private static String columnDefinition(Identifier schema, ColumnSpec column, boolean singlePrimaryKey) {
        StringBuilder sql = new StringBuilder(DefinitionSql.column(column, true));
        if (column.isPrimaryKey() && singlePrimaryKey) {
            sql.append(" PRIMARY KEY");
        }
        if (column.isUnique()) {
            sql.append(" UNIQUE");
        }
        if (column.check() != null) {
            sql.append(' ').append(DefinitionSql.check(column.check().name(), column.check().constraint(), column.check().noInherit()));
        }
        if (column.references() != null) {
            if (column.references().name() != null) {
                sql.append(SQL.format(" CONSTRAINT {}", column.references().name()));
            }
            sql.append(' ').append(DefinitionSql.references(schema, column.references()));
        }
        return sql.toString();
    }

    /** Foreign keys name what they reference by its physical name ({@link OperationContext#physicalReference}). */
    private static ColumnSpec withPhysicalReference(ColumnSpec column, CreateTable op, OperationContext context) {
        ColumnSpec.ReferencesSpec references = column.references();
        if (references == null || references.table().equals(op.name())) {
            return column; // no foreign key, or one to the table being created, whose names are its own
        }
        ColumnSpec.ReferencesSpec physical = context.physicalReference(references);
        return new ColumnSpec(column.name(), column.type(), column.nullable(), column.defaultValue(), column.unique(), column.pk(),
                column.comment(), column.check(), physical, column.generated());
    }

    private static ConstraintSpec withPhysicalReference(ConstraintSpec constraint, CreateTable op, OperationContext context) {
        ConstraintSpec.ForeignKeyReference references = constraint.references();
        if (references == null || references.table() == null || references.table().equals(op.name())) {
            return constraint; // not a foreign key, or one to the table being created, whose names are its own
        }
        Table target = context.tableBefore(references.table());
        List<Identifier> columns = references.columns() == null ? null
                : references.columns().stream().map(c -> physicalColumn(target, c)).toList();
        ConstraintSpec.ForeignKeyReference physical = new ConstraintSpec.ForeignKeyReference(target.physicalName(), columns,
                references.onDelete(), references.onUpdate(), references.matchType(), references.onDeleteSetColumns());
        return new ConstraintSpec(constraint.name(), constraint.type(), constraint.columns(), constraint.check(), constraint.noInherit(),
                constraint.nullsNotDistinct(), constraint.deferrable(), constraint.initiallyDeferred(), physical, constraint.exclude(),
                constraint.indexParameters());
    }

    private static Identifier physicalColumn(Table table, Identifier column) {
        return table.column(column).map(Column::physicalName).orElse(column);
    }

    /** Other tables whose foreign keys this table's creation touches (they get a lock too). */
    private static Set<Identifier> referencedTables(CreateTable op) {
        Set<Identifier> tables = new LinkedHashSet<>();
        op.columns().stream().filter(c -> c.references() != null).forEach(c -> tables.add(c.references().table()));
        op.constraints().stream().filter(c -> c.references() != null).forEach(c -> tables.add(c.references().table()));
        tables.remove(op.name());
        return tables;
    }
}
