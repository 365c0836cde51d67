package dev.accordion.migration;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.SqlExpr;
import java.util.List;

/** A table constraint as {@code create_table}'s {@code constraints} declares it. */
public record ConstraintSpec(
        Identifier name,
        String type,
        List<Identifier> columns,
        SqlExpr check,
        @JsonProperty("no_inherit") Boolean noInherit,
        @JsonProperty("nulls_not_distinct") Boolean nullsNotDistinct,
        Boolean deferrable,
        @JsonProperty("initially_deferred") Boolean initiallyDeferred,
        ForeignKeyReference references,
        ExcludeSpec exclude,
        @JsonProperty("index_parameters") IndexParameters indexParameters) {

    public List<Identifier> columnsOrEmpty() {
        return columns == null ? List.of() : columns;
    }

    public record ForeignKeyReference(Identifier table, List<Identifier> columns,
                                      @JsonProperty("on_delete") String onDelete,
                                      @JsonProperty("on_update") String onUpdate,
                                      @JsonProperty("match_type") String matchType,
                                      @JsonProperty("on_delete_set_columns") List<Identifier> onDeleteSetColumns) {
    }

    public record ExcludeSpec(@JsonProperty("index_method") String indexMethod, SqlExpr elements, SqlExpr predicate) {
    }

    public record IndexParameters(@JsonProperty("include_columns") List<Identifier> includeColumns,
                                  @JsonProperty("storage_parameters") SqlExpr storageParameters,
                                  Identifier tablespace) {
    }
}
