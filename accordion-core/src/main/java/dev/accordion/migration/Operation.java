package dev.accordion.migration;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;

/**
 * One change in a migration file: an object with exactly one key, the operation's name. Each
 * operation knows how it changes the logical schema ({@link #applyTo}); how it is carried out on
 * a database is the business of that database's dialect.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.WRAPPER_OBJECT)
@JsonSubTypes({
    @JsonSubTypes.Type(value = CreateTable.class, name = "create_table"),
    @JsonSubTypes.Type(value = DropTable.class, name = "drop_table"),
    @JsonSubTypes.Type(value = RenameTable.class, name = "rename_table"),
    @JsonSubTypes.Type(value = AddColumn.class, name = "add_column"),
    @JsonSubTypes.Type(value = DropColumn.class, name = "drop_column"),
    @JsonSubTypes.Type(value = RenameColumn.class, name = "rename_column"),
    @JsonSubTypes.Type(value = AlterColumn.class, name = "alter_column"),
    @JsonSubTypes.Type(value = CreateIndex.class, name = "create_index"),
    @JsonSubTypes.Type(value = DropIndex.class, name = "drop_index"),
    @JsonSubTypes.Type(value = CreateConstraint.class, name = "create_constraint"),
    @JsonSubTypes.Type(value = DropConstraint.class, name = "drop_constraint"),
    @JsonSubTypes.Type(value = DropMultiColumnConstraint.class, name = "drop_multicolumn_constraint"),
    @JsonSubTypes.Type(value = RenameConstraint.class, name = "rename_constraint"),
    @JsonSubTypes.Type(value = SetReplicaIdentity.class, name = "set_replica_identity"),
    @JsonSubTypes.Type(value = RawSql.class, name = "sql"),
    @JsonSubTypes.Type(value = SplitTable.class, name = "split_table"),
})
public sealed interface Operation
        permits CreateTable, DropTable, RenameTable, AddColumn, DropColumn, RenameColumn, AlterColumn,
                CreateIndex, DropIndex, CreateConstraint, DropConstraint, DropMultiColumnConstraint,
                RenameConstraint, SetReplicaIdentity, RawSql, SplitTable {

    /** The operation's name in migration files, such as {@code create_table}. */
    default String kind() {
        return OperationKinds.nameOf(getClass());
    }

    /**
     * Returns the logical schema after this operation, recording every problem it finds instead
     * of stopping at the first. Pure: {@code before} is not changed.
     */
    SchemaSnapshot applyTo(SchemaSnapshot before, Problems problems);
}
