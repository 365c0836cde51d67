package dev.accordion.postgres.ops;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.migration.AddColumn;
import dev.accordion.migration.AlterColumn;
import dev.accordion.migration.ColumnSpec;
import dev.accordion.migration.Operation;
import dev.accordion.migration.RenameColumn;
import dev.accordion.postgres.sync.ExpressionColumns;
import dev.accordion.schema.Column;
import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.SqlExpr;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An alter_column of a column that an add_column of the same migration adds. The old version never sees such a
 * column, so there is nothing to keep in two shapes: a shadow would copy a column that holds nothing yet, and its
 * old-version branch of the sync trigger would read a column the old version does not have. So the change is folded
 * into the add_column, which then adds the column in its final shape: the alter's type, nullability, default,
 * comment, unique, check and foreign key, and as its up the alter's up evaluated over the add's value (bound in a
 * sub-select, never rewritten). A rename in the alter stays behind as a rename_column in the alter's place, so the
 * numbering of steps and what later operations see are unchanged. What cannot be folded is refused with the reason.
 */
final class AddedColumnFolding {

    /** The operations to plan, in the migration's order; an absorbed one plans nothing but keeps its number. */
    record Result(List<Operation> operations, Set<Integer> absorbed) {
    }

    private AddedColumnFolding() {
    }

    static Result fold(List<Operation> operations, SchemaSnapshot oldVersion) {
        List<Operation> result = new ArrayList<>(operations);
        Set<Integer> absorbed = new HashSet<>();
        List<SchemaSnapshot> before = new ArrayList<>(); // before.get(i): the schema operation i sees, as folded so far
        SchemaSnapshot snapshot = oldVersion;
        for (int i = 0; i < result.size(); i++) {
            before.add(snapshot);
            if (result.get(i) instanceof AlterColumn alter && alter.needsShadow()) {
                Optional<Integer> add = addOf(alter, i, result, absorbed, before);
                if (add.isPresent()) {
                    int j = add.get();
                    AddColumn folded = folded((AddColumn) result.get(j), alter, j, i, snapshot, oldVersion);
                    result.set(j, folded);
                    if (alter.name() != null && !alter.name().equals(alter.column())) {
                        result.set(i, new RenameColumn(alter.table(), alter.column(), alter.name()));
                    } else {
                        absorbed.add(i);
                    }
                    // Operations between the two now see the column in its final shape: plan them again from there.
                    snapshot = before.get(j);
                    for (int k = j; k < i; k++) {
                        before.set(k, snapshot);
                        snapshot = absorbed.contains(k) ? snapshot : snapshot.apply(result.get(k), new Problems());
                    }
                    before.set(i, snapshot);
                }
            }
            snapshot = absorbed.contains(i) ? snapshot : snapshot.apply(result.get(i), new Problems());
        }
        return new Result(List.copyOf(result), Set.copyOf(absorbed));
    }

    /** The earlier add_column that adds the column this alter_column changes, if the column still is that add's alone. */
    private static Optional<Integer> addOf(AlterColumn alter, int i, List<Operation> operations, Set<Integer> absorbed,
                                           List<SchemaSnapshot> before) {
        Optional<Table> table = before.get(i).table(alter.table());
        Optional<Column> column = table.flatMap(t -> t.column(alter.column()));
        if (column.isEmpty() || column.get().isShadow()) {
            return Optional.empty();
        }
        for (int j = i - 1; j >= 0; j--) {
            if (!absorbed.contains(j) && operations.get(j) instanceof AddColumn add) {
                Optional<Table> added = before.get(j).table(add.table());
                if (added.isPresent() && added.get().physicalName().equals(table.get().physicalName())
                        && add.column().name().equals(column.get().physicalName())) {
                    return Optional.of(j);
                }
            }
        }
        return Optional.empty();
    }

    private static AddColumn folded(AddColumn add, AlterColumn alter, int j, int i, SchemaSnapshot atAlter, SchemaSnapshot oldVersion) {
        String what = "operation " + (i + 1) + " (alter_column) of \"" + alter.table() + "\".\"" + alter.column()
                + "\", which operation " + (j + 1) + " (add_column) adds";
        ColumnSpec column = add.column();
        if (column.generated() != null) {
            throw new IllegalArgumentException(what + ": the column is generated, which alter_column cannot change; "
                    + "declare it as you want it in add_column");
        }
        Table table = atAlter.table(alter.table()).orElseThrow();
        refuseTwice(what, "a check", column.check() != null && alter.check() != null);
        refuseTwice(what, "a foreign key", column.references() != null && alter.references() != null);
        if (alter.unique() != null && alter.unique().name() != null) {
            throw new IllegalArgumentException(what + ": the unique constraint of a column added by the same migration is named "
                    + "by add_column; drop unique.name here, or give the column unique: true in add_column");
        }
        if (alter.check() != null) {
            readsOnlyPhysicalNames(what, alter.check().constraint(), alter, table);
        }
        boolean oldVersionHasTable = oldVersion.tables().stream().anyMatch(t -> t.physicalName().equals(table.physicalName()));
        SqlExpr up = oldVersionHasTable ? up(what, add, alter, table) : null;
        ColumnSpec shape = new ColumnSpec(column.name(),
                alter.type() != null ? alter.type() : column.type(),
                alter.nullable() != null ? alter.nullable() : column.nullable(),
                alter.defaultValue() != null ? alter.defaultValue().asOptional().map(SqlExpr::of).orElse(null) : column.defaultValue(),
                alter.unique() != null ? Boolean.TRUE : column.unique(),
                column.pk(),
                alter.comment() != null ? alter.comment().asOptional().orElse(null) : column.comment(),
                alter.check() != null ? alter.check() : column.check(),
                alter.references() != null ? alter.references() : column.references(),
                null);
        if (oldVersionHasTable && up == null && !shape.isNullable() && shape.defaultValue() == null) {
            throw new IllegalArgumentException(what + ": it makes the column NOT NULL, but neither an up nor a default gives "
                    + "the rows the table has and the old version's inserts a value; give add_column an up or a default");
        }
        return new AddColumn(add.table(), shape, up);
    }

    /**
     * The value the old version's writes and the backfill give the folded column. The add's value is its up, or
     * else, when the alter changes the default, the add's default (existing rows and the old version's inserts keep it,
     * as they would through a shadow). The alter's up reads the column under the name it has there, bound to that
     * value; any other column it reads must be the old version's own, under its own name.
     */
    private static SqlExpr up(String what, AddColumn add, AlterColumn alter, Table table) {
        SqlExpr added = add.up() != null ? add.up()
                : alter.defaultValue() != null && add.column().defaultValue() != null ? add.column().defaultValue() : null;
        if (alter.up() == null) {
            return added;
        }
        Map<Identifier, SqlExpr> values = new LinkedHashMap<>();
        SqlExpr value = SqlExpr.of(SQL.format("CAST(({}) AS {})", added != null ? added : SqlExpr.of("NULL"), add.column().type()));
        values.put(alter.column(), value);
        Set<Identifier> read = ExpressionColumns.readBy(alter.up(), table.columns().stream().map(Column::name).toList());
        for (Identifier name : read) {
            if (!name.equals(alter.column())) {
                Column other = table.column(name).orElseThrow();
                if (!other.physicalName().equals(name)) {
                    throw new IllegalArgumentException(what + ": its up reads column \"" + name + "\", which an earlier operation "
                            + "of this migration renames or reshapes; write the value in add_column's up instead");
                }
                values.put(name, SqlExpr.of(SQL.quote(name)));
            }
        }
        return NameBinding.bind(alter.up(), values);
    }

    /** The check names the columns as the new version does; the folded add states it at start, over the physical names. */
    private static void readsOnlyPhysicalNames(String what, SqlExpr expression, AlterColumn alter, Table table) {
        Map<Identifier, Identifier> physical = new LinkedHashMap<>();
        table.columns().forEach(c -> physical.put(c.name().equals(alter.column()) && alter.name() != null ? alter.name() : c.name(),
                c.physicalName()));
        for (Identifier name : ExpressionColumns.readBy(expression, physical.keySet())) {
            if (!physical.get(name).equals(name)) {
                throw new IllegalArgumentException(what + ": its check reads column \"" + name + "\", whose name this migration "
                        + "changes, and a column added by the migration gets its check at start, under the names it has then; "
                        + "give the check in add_column, or in a later migration");
            }
        }
    }

    private static void refuseTwice(String what, String part, boolean twice) {
        if (twice) {
            throw new IllegalArgumentException(what + ": add_column already gives the column " + part
                    + ", and the two cannot be folded into one column; give the one you want in add_column");
        }
    }
}
