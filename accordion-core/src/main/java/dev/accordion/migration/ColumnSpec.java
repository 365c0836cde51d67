package dev.accordion.migration;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.accordion.schema.Column;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.SqlExpr;
import java.util.Optional;

/** A column as a migration file declares it ({@code create_table} and {@code add_column}). */
public record ColumnSpec(
        Identifier name,
        SqlExpr type,
        Boolean nullable,
        @JsonProperty("default") SqlExpr defaultValue,
        Boolean unique,
        Boolean pk,
        String comment,
        CheckSpec check,
        ReferencesSpec references,
        GeneratedSpec generated) {

    /** Columns are NOT NULL unless the file says {@code nullable: true} (pgroll's rule). */
    public boolean isNullable() {
        return Boolean.TRUE.equals(nullable);
    }

    public boolean isUnique() {
        return Boolean.TRUE.equals(unique);
    }

    public boolean isPrimaryKey() {
        return Boolean.TRUE.equals(pk);
    }

    public ColumnSpec asNullable() {
        return new ColumnSpec(name, type, true, defaultValue, unique, pk, comment, check, references, generated);
    }

    public Column toColumn() {
        Column.Generation generation = generated == null ? Column.Generation.NONE : generated.generation();
        return new Column(name, name, type == null ? "" : type.text(), isNullable() && !isPrimaryKey(),
                Optional.ofNullable(defaultValue).map(SqlExpr::text), Optional.ofNullable(comment), generation);
    }

    public record CheckSpec(Identifier name, SqlExpr constraint, @JsonProperty("no_inherit") Boolean noInherit) {
    }

    public record ReferencesSpec(Identifier name, Identifier table, Identifier column,
                                 @JsonProperty("on_delete") String onDelete,
                                 @JsonProperty("on_update") String onUpdate,
                                 @JsonProperty("match_type") String matchType,
                                 Boolean deferrable,
                                 @JsonProperty("initially_deferred") Boolean initiallyDeferred) {
    }

    /** Either a stored generated column ({@code expression}) or an identity column ({@code identity}). */
    public record GeneratedSpec(SqlExpr expression, IdentitySpec identity) {
        Column.Generation generation() {
            if (expression != null) {
                return Column.Generation.STORED;
            }
            return identity != null && "ALWAYS".equalsIgnoreCase(identity.userSpecifiedValues())
                    ? Column.Generation.IDENTITY_ALWAYS : Column.Generation.IDENTITY_BY_DEFAULT;
        }
    }

    public record IdentitySpec(@JsonProperty("user_specified_values") String userSpecifiedValues,
                               @JsonProperty("sequence_options") SqlExpr sequenceOptions) {
    }
}
