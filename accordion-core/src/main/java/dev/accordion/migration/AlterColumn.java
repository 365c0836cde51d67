package dev.accordion.migration;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.accordion.schema.Column;
import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.SqlExpr;
import java.util.Optional;

/**
 * Changes one column. {@code default} and {@code comment} distinguish "not mentioned" (null) from
 * "set to null" (an empty Optional), as in pgroll's format.
 */
public record AlterColumn(
        Identifier table,
        Identifier column,
        Identifier name,
        SqlExpr type,
        Boolean nullable,
        @JsonProperty("default") Setting defaultValue,
        Setting comment,
        UniqueSpec unique,
        ColumnSpec.CheckSpec check,
        ColumnSpec.ReferencesSpec references,
        SqlExpr up,
        SqlExpr down) implements Operation {

    public record UniqueSpec(Identifier name) {
    }

    /**
     * Whether the change needs a shadow column: everything but a rename or a new comment changes what one version
     * may write or read, so the old column must stay as it is for the old version while the new one is filled.
     */
    public boolean needsShadow() {
        return type != null || nullable != null || defaultValue != null || unique != null || check != null || references != null;
    }

    @Override
    public SchemaSnapshot applyTo(SchemaSnapshot before, Problems problems) {
        boolean named = Require.present(table, "table", problems) & Require.present(column, "column", problems);
        Optional<Table> target = named ? Require.table(before, table, problems) : Optional.empty();
        Optional<Column> existing = target.flatMap(t -> Require.column(t, column, problems));
        if (existing.isEmpty()) {
            return before;
        }
        if (name == null && type == null && nullable == null && defaultValue == null && comment == null
                && unique == null && check == null && references == null) {
            problems.add("alter_column of \"" + table + "\".\"" + column + "\" changes nothing: give name, type, nullable, default, comment, unique, check or references");
        }
        if (name != null && !name.equals(column)) {
            Require.newColumnName(target.get(), name, problems);
        }
        Column old = existing.get();
        // A column an earlier operation of the migration already moved to a shadow keeps it: this change reshapes it.
        boolean shadowed = old.isShadow();
        Column kept = needsShadow() && !shadowed ? old.inShadow() : old;
        Column changed = new Column(kept.name(), kept.physicalName(),
                type == null ? old.type() : type.text(),
                nullable == null ? old.nullable() : nullable,
                defaultValue == null ? old.defaultExpr() : defaultValue.asOptional(),
                comment == null ? old.comment() : comment.asOptional(),
                old.generation());
        SchemaSnapshot result = before.mapTable(table, t -> t.mapColumn(column, c -> changed));
        return name == null ? result : result.mapTable(table, t -> t.withColumnRenamed(column, name));
    }
}
