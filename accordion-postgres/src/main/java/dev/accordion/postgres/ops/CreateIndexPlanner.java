package dev.accordion.postgres.ops;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.migration.CreateIndex;
import dev.accordion.migration.IndexField;
import dev.accordion.plan.LockLevel;
import dev.accordion.postgres.Locks;
import dev.accordion.schema.Table;
import dev.accordion.sql.QualifiedName;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Built concurrently at start (an INVALID leftover is rebuilt), dropped concurrently at rollback. */
final class CreateIndexPlanner implements OperationPlanner<CreateIndex> {

    private static final Map<String, String> SORTS = Map.of("ASC", "ASC", "DESC", "DESC");
    private static final Map<String, String> NULLS = Map.of("FIRST", "NULLS FIRST", "LAST", "NULLS LAST");

    @Override
    public void plan(CreateIndex op, OperationContext context) {
        Table table = context.tableBefore(op.table());
        QualifiedName physical = context.physical(table);
        QualifiedName index = context.qualified(op.name());
        StringBuilder sql = new StringBuilder(op.isUnique() ? "CREATE UNIQUE INDEX CONCURRENTLY " : "CREATE INDEX CONCURRENTLY ");
        sql.append(SQL.format("{} ON {}", op.name(), physical));
        if (op.method() != null) {
            sql.append(SQL.format(" USING {}", DefinitionSql.keyword(IndexMethods.ALL, op.method(), "method")));
        }
        sql.append(" (").append(op.columns().stream().map(field -> key(field, table)).collect(Collectors.joining(", "))).append(')');
        if (op.storageParameters() != null) {
            sql.append(SQL.format(" WITH ({})", op.storageParameters()));
        }
        if (op.predicate() != null) {
            sql.append(SQL.format(" WHERE ({})", op.predicate()));
        }
        context.start().add(new ConcurrentIndexStep(context.start().id("build"),
                "build index " + SQL.quote(index) + " concurrently", index, physical, sql.toString()));
        context.rollback().alone("drop", "drop index " + SQL.quote(index) + " concurrently",
                List.of(Locks.on(LockLevel.SHARE_UPDATE_EXCLUSIVE, physical)),
                SQL.format("DROP INDEX CONCURRENTLY IF EXISTS {}", index));
    }

    private static String key(IndexField field, Table table) {
        StringBuilder sql = new StringBuilder(SQL.quote(table.column(field.column()).orElseThrow().physicalName()));
        if (field.collate() != null) {
            sql.append(SQL.format(" COLLATE {}", field.collate()));
        }
        if (field.opclass() != null) {
            sql.append(' ').append(SQL.quote(field.opclass().name()));
            if (field.opclass().params() != null && !field.opclass().params().isEmpty()) {
                sql.append(" (").append(field.opclass().params().entrySet().stream()
                        .map(p -> SQL.format("{} = {}", p.getKey(), p.getValue()))
                        .collect(Collectors.joining(", "))).append(')');
            }
        }
        if (field.sort() != null) {
            sql.append(' ').append(DefinitionSql.keyword(SORTS, field.sort(), "sort").text());
        }
        if (field.nulls() != null) {
            sql.append(' ').append(DefinitionSql.keyword(NULLS, field.nulls(), "nulls").text());
        }
        return sql.toString();
    }
}
