package dev.accordion.migration;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.SqlExpr;
import java.util.Map;

/** One key of an index: a column with its collation, sort order, null order and operator class. */
public record IndexField(Identifier column, Identifier collate, String sort, String nulls, OpClass opclass) {

    /** A bare column name is accepted too, as older pgroll files write them. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static IndexField of(String column) {
        return new IndexField(Identifier.of(column), null, null, null, null);
    }

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public static IndexField of(@JsonProperty("column") Identifier column, @JsonProperty("collate") Identifier collate,
                                @JsonProperty("sort") String sort, @JsonProperty("nulls") String nulls,
                                @JsonProperty("opclass") OpClass opclass) {
        return new IndexField(column, collate, sort, nulls, opclass);
    }

    public record OpClass(Identifier name, Map<Identifier, SqlExpr> params) {
    }
}
