package dev.accordion.postgres.ops;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.plan.LockClaim;
import dev.accordion.plan.LockLevel;
import dev.accordion.postgres.GeneratedNames;
import dev.accordion.postgres.Locks;
import dev.accordion.postgres.sync.TableSync;
import dev.accordion.schema.Column;
import dev.accordion.schema.Constraint;
import dev.accordion.schema.ConstraintType;
import dev.accordion.schema.Index;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.Keyword;
import dev.accordion.sql.QualifiedName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a shadow column carries over from the column it replaces (DESIGN §5, "Faithful shadow columns"), each under a
 * temporary name until complete gives it the original one back:
 * <ul>
 *   <li>CHECK constraints and FOREIGN KEYs from the column: their definitions, read from the catalog when the step
 *       runs, are added NOT VALID while, for that one transaction, the shadow holds the column's name and the column
 *       another, so PostgreSQL binds the definition to the shadow without its text being rewritten; validated once
 *       names are settled;</li>
 *   <li>indexes, the indexes of UNIQUE constraints and of the primary key: rebuilt concurrently on the shadow from
 *       their catalog rows ({@link ShadowIndexStep}); unique constraints are attached at complete;</li>
 *   <li>primary-key membership: at complete, in one transaction, the foreign keys of other tables that reference the
 *       key are dropped, the key is re-made on the shadow's index, and the foreign keys are added again towards the
 *       shadow, NOT VALID (validated next);</li>
 *   <li>the ownership of a serial's sequence, moved to the shadow at complete before the old column goes.</li>
 * </ul>
 */
final class FaithfulShadow {

    private static final Map<String, String> ACTIONS = Map.of("a", "NO ACTION", "r", "RESTRICT", "c", "CASCADE", "n", "SET NULL",
            "d", "SET DEFAULT");
    private static final Map<String, String> MATCH = Map.of("f", "FULL", "p", "PARTIAL", "s", "SIMPLE");

    private FaithfulShadow() {
    }

    /** A column that a shadow replaces: the old column, its shadow, and the column's name in the new version. */
    record Replacement(Column old, Identifier shadow, Identifier newName) {
    }

    /** One column replaced by its shadow (alter_column). */
    static void plan(OperationContext context, Table table, Column old, Identifier shadow, Identifier newName) {
        plan(context, table, List.of(new Replacement(old, shadow, newName)), Optional.empty());
    }

    /**
     * Several columns of one table replaced at once (the constraint operations): a constraint or index over more
     * than one of them is carried once, with every one of them swapped for its shadow. {@code leaving} is the
     * constraint the operation drops, which is not carried.
     */
    static void plan(OperationContext context, Table table, List<Replacement> replaced, Optional<Identifier> leaving) {
        QualifiedName physical = context.physical(table);
        QualifiedName settled = context.qualified(context.tableAfter(table.name()).name());
        TableSync sync = context.syncs().of(table);
        Map<Identifier, Identifier> shadows = new LinkedHashMap<>();
        replaced.forEach(r -> shadows.put(r.old().physicalName(), r.shadow()));
        List<Constraint> constraints = table.constraints().stream()
                .filter(c -> touches(c.columns(), replaced) && leaving.map(l -> !l.equals(c.name())).orElse(true)).toList();
        refuseSharedWithEarlierShadows(table, replaced, constraints.stream().map(c -> new Shared("constraint", c.name(), c.columns())),
                table.indexes().stream().filter(i -> touches(i.columns(), replaced)).map(i -> new Shared("index", i.name(), i.columns())));

        List<Constraint> bound = constraints.stream()
                .filter(c -> c.type() == ConstraintType.CHECK || c.type() == ConstraintType.FOREIGN_KEY).toList();
        if (!bound.isEmpty()) {
            carryBound(context, table, replaced, bound, settled, sync);
        }
        for (Constraint unique : constraints.stream().filter(c -> c.type() == ConstraintType.UNIQUE).toList()) {
            QualifiedName copy = copyIndex(context, physical, unique.name(), shadows);
            sync.whenSettled(new TableSync.SettledStep("unique-" + unique.name().name(), "make " + SQL.quote(copy.name())
                    + " unique constraint " + SQL.quote(unique.name()) + " again", List.of(Locks.accessExclusive(settled)),
                    List.of(SQL.format("ALTER TABLE {} ADD CONSTRAINT {} UNIQUE USING INDEX {}", settled, unique.name(), copy.name()))));
            settleIndexColumns(sync, context.qualified(unique.name()), unique.columns(), replaced);
        }
        for (Index index : table.indexes().stream().filter(i -> touches(i.columns(), replaced)).toList()) {
            QualifiedName copy = copyIndex(context, physical, index.name(), shadows);
            sync.whenSettled(new TableSync.SettledStep("index-" + index.name().name(), "give index " + SQL.quote(copy.name())
                    + " the name " + SQL.quote(index.name()), List.of(Locks.accessExclusive(copy)),
                    List.of(SQL.format("ALTER INDEX {} RENAME TO {}", copy, index.name()))));
            settleIndexColumns(sync, context.qualified(index.name()), index.columns(), replaced);
        }
        table.primaryKey().filter(pk -> touches(pk.columns(), replaced) && leaving.map(l -> !l.equals(pk.name())).orElse(true))
                .ifPresent(pk -> {
                    QualifiedName copy = copyIndex(context, physical, pk.name(), shadows);
                    movePrimaryKey(context, table, shadows, pk, copy);
                    settleIndexColumns(sync, context.qualified(pk.name()), pk.columns(), replaced);
                });
        Map<Identifier, Identifier> serials = new LinkedHashMap<>();
        replaced.stream().filter(r -> r.old().defaultExpr().filter(d -> d.contains("nextval")).isPresent())
                .forEach(r -> serials.put(r.old().physicalName(), r.shadow()));
        if (!serials.isEmpty()) {
            moveSequenceOwnership(context, physical, serials);
        }
    }

    /**
     * What no shadow can take over yet, refused before anything runs (validation turns this into a problem, and
     * refuses indexes with expressions or predicates over the column and foreign keys it cannot follow, which only the
     * catalog shows).
     */
    static void refuseWhatItCannotCarry(String what, Table table, Column column) {
        if (column.generation() != Column.Generation.NONE) {
            throw new IllegalArgumentException(what + ": column \"" + column.name() + "\" is an identity or generated column, "
                    + "which cannot be moved to a shadow column yet");
        }
        table.constraints().stream().filter(c -> c.type() == ConstraintType.EXCLUDE && c.columns().contains(column.name()))
                .findFirst().ifPresent(c -> {
                    throw new IllegalArgumentException(what + ": column \"" + column.name() + "\" is part of exclusion constraint \""
                            + c.name() + "\", which a shadow column cannot carry over yet; drop it first");
                });
    }

    private static boolean touches(List<Identifier> columns, List<Replacement> replaced) {
        return replaced.stream().anyMatch(r -> columns.contains(r.old().name()));
    }

    /** A constraint or an index that a shadow would carry, by the columns (logical names) it covers. */
    private record Shared(String kind, Identifier name, List<Identifier> columns) {
    }

    /**
     * An earlier operation of this migration gave another column of the constraint or index a shadow, and carried it
     * from the old columns; carrying it again from this operation would copy it over one shadow and one old column.
     */
    private static void refuseSharedWithEarlierShadows(Table table, List<Replacement> replaced, Stream<Shared> constraints,
                                                       Stream<Shared> indexes) {
        Set<Identifier> ours = new HashSet<>();
        replaced.forEach(r -> ours.add(r.old().name()));
        Stream.concat(constraints, indexes).forEach(shared -> shared.columns().stream()
                .filter(c -> !ours.contains(c))
                .map(c -> table.column(c).orElseThrow())
                .filter(Column::isShadow)
                .findFirst().ifPresent(c -> {
                    throw new IllegalArgumentException("column \"" + replaced.get(0).old().name() + "\" of \"" + table.name()
                            + "\" shares " + shared.kind() + " \"" + shared.name() + "\" with column \"" + c.name()
                            + "\", which an earlier operation of this migration already moved to a shadow column; change both "
                            + "columns in one operation, or in separate migrations");
                }));
    }

    /** The CHECKs and FOREIGN KEYs over the columns, added to the shadows by their catalog definitions (see the class comment). */
    private static void carryBound(OperationContext context, Table table, List<Replacement> replaced, List<Constraint> bound,
                                   QualifiedName settled, TableSync sync) {
        QualifiedName physical = context.physical(table);
        List<LockClaim> locks = new ArrayList<>(List.of(Locks.accessExclusive(physical)));
        bound.stream().flatMap(c -> c.referencedTable().stream()).distinct()
                .forEach(t -> locks.add(Locks.on(LockLevel.SHARE_ROW_EXCLUSIVE, context.qualified(t))));
        List<String> swap = new ArrayList<>();
        List<String> swapBack = new ArrayList<>();
        for (Replacement r : replaced) {
            Identifier column = r.old().physicalName();
            Identifier aside = GeneratedNames.fit("_acc_old_" + column.name());
            swap.add(SQL.format("ALTER TABLE {} RENAME COLUMN {} TO {}", physical, column, aside));
            swap.add(SQL.format("ALTER TABLE {} RENAME COLUMN {} TO {}", physical, r.shadow(), column));
            swapBack.add(SQL.format("ALTER TABLE {} RENAME COLUMN {} TO {}", physical, column, r.shadow()));
            swapBack.add(SQL.format("ALTER TABLE {} RENAME COLUMN {} TO {}", physical, aside, column));
        }
        List<String> planned = new ArrayList<>(swap);
        for (Constraint constraint : bound) {
            planned.add(SQL.format("-- ALTER TABLE {} ADD CONSTRAINT {} <the definition of {} from pg_get_constraintdef> NOT VALID",
                    physical, temporary(constraint), constraint.name()));
        }
        planned.addAll(swapBack);
        List<Identifier> columns = replaced.stream().map(r -> r.old().physicalName()).toList();
        List<Identifier> shadowNames = replaced.stream().map(Replacement::shadow).toList();
        context.start().add(new CatalogStep(context.start().id("carry-constraints"), "carry the checks and foreign keys of "
                + SQL.format("{}", columns) + " over to " + SQL.format("{}", shadowNames) + ", NOT VALID", locks, planned, connection -> {
                    List<String> sql = new ArrayList<>(swap);
                    for (Constraint constraint : bound) {
                        sql.add(SQL.format("ALTER TABLE {} ADD CONSTRAINT {} ", physical, temporary(constraint))
                                + definition(connection, physical, constraint.name()));
                    }
                    sql.addAll(swapBack);
                    return sql;
                }));
        for (Constraint constraint : bound) {
            sync.whenSettled(new TableSync.SettledStep("constraint-" + constraint.name().name(), "give constraint "
                    + SQL.quote(temporary(constraint)) + " its name back", List.of(Locks.accessExclusive(settled)),
                    List.of(SQL.format("ALTER TABLE {} RENAME CONSTRAINT {} TO {}", settled, temporary(constraint), constraint.name()))));
            List<LockClaim> validateLocks = new ArrayList<>(List.of(Locks.on(LockLevel.SHARE_UPDATE_EXCLUSIVE, settled)));
            constraint.referencedTable().ifPresent(t -> validateLocks.add(Locks.on(LockLevel.ROW_SHARE, context.qualified(t))));
            sync.whenSettled(new TableSync.SettledStep("validate-" + constraint.name().name(), "validate " + SQL.quote(constraint.name()),
                    validateLocks, List.of(SQL.format("ALTER TABLE {} VALIDATE CONSTRAINT {}", settled, constraint.name()))));
        }
    }

    private static Identifier temporary(Constraint constraint) {
        return GeneratedNames.fit("_acc_c_" + constraint.name().name());
    }

    /** The constraint's definition as PostgreSQL prints it, NOT VALID (which it already says when it is not validated). */
    private static String definition(Connection connection, QualifiedName table, Identifier constraint) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT pg_get_constraintdef(oid), convalidated FROM pg_constraint WHERE conrelid = to_regclass(?) AND conname = ?")) {
            statement.setString(1, SQL.quote(table));
            statement.setString(2, constraint.name());
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("constraint " + SQL.quote(constraint) + " of " + SQL.quote(table) + " is gone");
                }
                return rs.getString(1) + (rs.getBoolean(2) ? " NOT VALID" : "");
            }
        }
    }

    private static QualifiedName copyIndex(OperationContext context, QualifiedName table, Identifier original,
                                           Map<Identifier, Identifier> shadows) {
        QualifiedName copy = context.qualified(GeneratedNames.fit("_acc_ix_" + original.name()));
        context.start().add(new ShadowIndexStep(context.start().id("index-" + original.name()), table, context.qualified(original),
                copy, shadows));
        return copy;
    }

    /** Each replaced column of the index (by its logical names {@code columns}) gets its name in the new version. */
    private static void settleIndexColumns(TableSync sync, QualifiedName index, List<Identifier> columns, List<Replacement> replaced) {
        replaced.stream().filter(r -> columns.contains(r.old().name()))
                .forEach(r -> settleIndexColumn(sync, index, r.shadow(), r.newName()));
    }

    /**
     * PostgreSQL never renames an index's own columns with the table's, so an index built on a shadow would keep
     * showing the shadow's name; once names settle, the index column takes the column's name too.
     */
    static void settleIndexColumn(TableSync sync, QualifiedName index, Identifier shadow, Identifier newName) {
        sync.whenSettled(new TableSync.SettledStep("index-column-" + index.name().name() + "-" + newName.name(),
                "give column " + SQL.quote(newName) + " of index " + SQL.quote(index) + " its name", List.of(Locks.accessExclusive(index)),
                List.of(SQL.format("ALTER TABLE {} RENAME COLUMN {} TO {}", index, shadow, newName))));
    }

    /**
     * At complete, before the old column goes (its key could not be dropped while other tables' keys reference it):
     * the referencing foreign keys are dropped, the key is re-made on the shadow's index, and they come back towards the
     * shadow, built from their catalog rows, NOT VALID; the next step validates them.
     */
    private static void movePrimaryKey(OperationContext context, Table table, Map<Identifier, Identifier> shadows, Constraint pk,
                                       QualifiedName copy) {
        QualifiedName physical = context.physical(table);
        List<LockClaim> locks = new ArrayList<>(List.of(Locks.accessExclusive(physical)));
        List<LockClaim> validateLocks = new ArrayList<>(List.of(Locks.on(LockLevel.ROW_SHARE, physical)));
        for (Table other : context.before().tables()) {
            boolean references = other.constraints().stream().anyMatch(c -> c.type() == ConstraintType.FOREIGN_KEY
                    && c.referencedTable().map(t -> t.equals(table.physicalName())).orElse(false));
            if (references && !other.physicalName().equals(table.physicalName())) {
                locks.add(Locks.accessExclusive(context.physical(other)));
                validateLocks.add(Locks.on(LockLevel.SHARE_UPDATE_EXCLUSIVE, context.physical(other)));
            }
        }
        List<String> planned = List.of(
                SQL.format("-- for each foreign key that references {}: ALTER TABLE <its table> DROP CONSTRAINT <it>", physical),
                SQL.format("ALTER TABLE {} DROP CONSTRAINT {}", physical, pk.name()),
                SQL.format("ALTER TABLE {} ADD CONSTRAINT {} PRIMARY KEY USING INDEX {}", physical, pk.name(), copy.name()),
                SQL.format("-- for each of them: ALTER TABLE <its table> ADD CONSTRAINT <it> FOREIGN KEY (...) REFERENCES {} (...) "
                        + "with {} instead of {}, as pg_constraint describes it, NOT VALID", physical, List.copyOf(shadows.values()),
                        List.copyOf(shadows.keySet())));
        context.complete().add(new CatalogStep(context.complete().id("primary-key"), "move primary key " + SQL.quote(pk.name())
                + " to " + SQL.format("{}", List.copyOf(shadows.values())) + " and point the foreign keys that reference it there",
                locks, planned, connection -> {
                    List<ForeignKey> referencing = referencing(connection, physical, shadows);
                    List<String> sql = new ArrayList<>();
                    referencing.forEach(fk -> sql.add(SQL.format("ALTER TABLE {} DROP CONSTRAINT {}", fk.table(), fk.name())));
                    sql.add(planned.get(1));
                    sql.add(planned.get(2));
                    referencing.forEach(fk -> sql.add(fk.addSql(physical)));
                    return sql;
                }));
        context.complete().add(new CatalogStep(context.complete().id("validate-referencing"), "validate the foreign keys that "
                + "reference " + SQL.quote(physical), validateLocks,
                List.of(SQL.format("-- for each of them: ALTER TABLE <its table> VALIDATE CONSTRAINT <it>")), connection -> {
                    List<String> sql = new ArrayList<>();
                    try (PreparedStatement statement = connection.prepareStatement("""
                            SELECT n.nspname, c.relname, k.conname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
                            JOIN pg_namespace n ON n.oid = c.relnamespace
                            WHERE k.confrelid = to_regclass(?) AND k.contype = 'f' AND NOT k.convalidated ORDER BY 1, 2, 3""")) {
                        statement.setString(1, SQL.quote(physical));
                        try (ResultSet rs = statement.executeQuery()) {
                            while (rs.next()) {
                                sql.add(SQL.format("ALTER TABLE {} VALIDATE CONSTRAINT {}", new QualifiedName(Identifier.of(rs.getString(1)),
                                        Identifier.of(rs.getString(2))), Identifier.of(rs.getString(3))));
                            }
                        }
                    }
                    return sql;
                }));
    }

    /** A foreign key that references the table, from its catalog row, with the shadow in place of the column. */
    private record ForeignKey(QualifiedName table, Identifier name, List<Identifier> columns, List<Identifier> referenced,
                              String match, String onUpdate, String onDelete, boolean deferrable, boolean deferred) {

        String addSql(QualifiedName target) {
            return SQL.format("ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({}) MATCH {} ON UPDATE {} ON DELETE {}",
                    table, name, columns, target, referenced, Keyword.of(MATCH.get(match)), Keyword.of(ACTIONS.get(onUpdate)),
                    Keyword.of(ACTIONS.get(onDelete)))
                    + (deferrable ? " DEFERRABLE" + (deferred ? " INITIALLY DEFERRED" : "") : "") + " NOT VALID";
        }
    }

    private static List<ForeignKey> referencing(Connection connection, QualifiedName table, Map<Identifier, Identifier> shadows)
            throws SQLException {
        String sql = """
                SELECT n.nspname, c.relname, k.conname,
                       ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(attnum, ord)
                             JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum ORDER BY u.ord)::text[],
                       ARRAY(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY u(attnum, ord)
                             JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum ORDER BY u.ord)::text[],
                       k.confmatchtype::text, k.confupdtype::text, k.confdeltype::text, k.condeferrable, k.condeferred
                FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE k.confrelid = to_regclass(?) AND k.contype = 'f' AND k.conrelid <> k.confrelid
                  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = k.confrelid AND a.attnum = ANY (k.confkey) AND a.attname::text = ANY (?))
                ORDER BY 1, 2, 3""";
        List<ForeignKey> keys = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, SQL.quote(table));
            statement.setArray(2, connection.createArrayOf("text", shadows.keySet().stream().map(Identifier::name).toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    List<Identifier> referenced = new ArrayList<>();
                    for (String name : (String[]) rs.getArray(5).getArray()) {
                        referenced.add(shadows.getOrDefault(Identifier.of(name), Identifier.of(name)));
                    }
                    List<Identifier> columns = new ArrayList<>();
                    for (String name : (String[]) rs.getArray(4).getArray()) {
                        columns.add(Identifier.of(name));
                    }
                    keys.add(new ForeignKey(new QualifiedName(Identifier.of(rs.getString(1)), Identifier.of(rs.getString(2))),
                            Identifier.of(rs.getString(3)), columns, referenced, rs.getString(6), rs.getString(7), rs.getString(8),
                            rs.getBoolean(9), rs.getBoolean(10)));
                }
            }
        }
        return keys;
    }

    /** A serial's sequence is owned by its column, and would go with it: at complete it moves to the shadow first. */
    private static void moveSequenceOwnership(OperationContext context, QualifiedName table, Map<Identifier, Identifier> shadows) {
        List<String> planned = new ArrayList<>();
        shadows.forEach((column, shadow) -> planned.add(SQL.format("-- for each sequence owned by {}.{}: ALTER SEQUENCE <it> OWNED BY {}.{}",
                table, column, table, shadow)));
        context.complete().add(new CatalogStep(context.complete().id("sequence-owner"), "move the sequences owned by "
                + SQL.format("{}", List.copyOf(shadows.keySet())) + " to " + SQL.format("{}", List.copyOf(shadows.values())),
                List.of(Locks.on(LockLevel.ACCESS_SHARE, table)), planned, connection -> {
                    List<String> sql = new ArrayList<>();
                    try (PreparedStatement statement = connection.prepareStatement("""
                            SELECT sn.nspname, s.relname, a.attname FROM pg_depend d
                            JOIN pg_class s ON s.oid = d.objid AND d.classid = 'pg_class'::regclass AND s.relkind = 'S'
                            JOIN pg_namespace sn ON sn.oid = s.relnamespace
                            JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                            WHERE d.refobjid = to_regclass(?) AND a.attname::text = ANY (?) AND d.deptype = 'a' ORDER BY 3, 1, 2""")) {
                        statement.setString(1, SQL.quote(table));
                        statement.setArray(2, connection.createArrayOf("text", shadows.keySet().stream().map(Identifier::name).toArray()));
                        try (ResultSet rs = statement.executeQuery()) {
                            while (rs.next()) {
                                sql.add(SQL.format("ALTER SEQUENCE {} OWNED BY {}.{}", new QualifiedName(Identifier.of(rs.getString(1)),
                                        Identifier.of(rs.getString(2))), table, shadows.get(Identifier.of(rs.getString(3)))));
                            }
                        }
                    }
                    return sql;
                }));
    }
}
