package dev.accordion.postgres;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.migration.AddColumn;
import dev.accordion.migration.AlterColumn;
import dev.accordion.migration.ColumnSpec;
import dev.accordion.migration.CreateConstraint;
import dev.accordion.migration.CreateTable;
import dev.accordion.migration.DropColumn;
import dev.accordion.migration.DropConstraint;
import dev.accordion.migration.DropMultiColumnConstraint;
import dev.accordion.migration.DropTable;
import dev.accordion.migration.Migration;
import dev.accordion.migration.Operation;
import dev.accordion.migration.SplitTable;
import dev.accordion.plan.Phase;
import dev.accordion.postgres.ops.MigrationPlanner;
import dev.accordion.schema.Column;
import dev.accordion.schema.ConstraintType;
import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.spi.PlanRequest;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.Literal;
import dev.accordion.sql.SqlExpr;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What only the live database can tell about a migration: whether its SQL compiles, whether a
 * default would rewrite the table, whether the user's own views depend on what it drops. Trial
 * statements run in a transaction that is always rolled back, with a short lock timeout.
 */
final class PostgresValidation {

    private static final Identifier PROBE_TABLE = Identifier.of("_acc_probe");
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    /** Empty temporary tables shaped like the old and the new version of a table, to compile up and down against. */
    private static final Identifier OLD_SHAPE = Identifier.of("_acc_probe_old");
    private static final Identifier NEW_SHAPE = Identifier.of("_acc_probe_new");

    private final Connection connection;
    private final PlanRequest request;
    private final Problems problems;

    PostgresValidation(Connection connection, PlanRequest request, Problems problems) {
        this.connection = connection;
        this.request = request;
        this.problems = problems;
    }

    void run() throws SQLException {
        if (schemaExists(request.newVersionSchema())) {
            problems.add("version schema \"" + request.newVersionSchema() + "\" already exists in the database; "
                    + "set version_schema in the file to another name, or drop that schema if it is a leftover");
        }
        SchemaSnapshot schema = request.before();
        List<String> createdEarlier = new ArrayList<>();
        Map<Identifier, List<String>> droppedEarlier = new HashMap<>();
        // by physical name: the first operation of the migration that changed (or created) each table
        Map<Identifier, String> changedEarlier = new HashMap<>();
        int number = 0;
        for (Operation operation : request.migration().operations()) {
            String where = "operation " + (++number) + " (" + operation.kind() + ")";
            if (!MigrationPlanner.supports(operation)) {
                problems.add(where + ": " + operation.kind() + " is not supported yet by this version of Accordion");
            } else if (operation instanceof AddColumn add) {
                checkAddColumn(where, add, schema);
            } else if (operation instanceof AlterColumn alter && alter.needsShadow()) {
                checkAlterColumn(where, alter, schema);
            } else if (operation instanceof DropColumn drop) {
                checkDropColumn(where, drop, schema);
            } else if (operation instanceof SplitTable split) {
                checkSplitTable(where, split, schema);
            } else if (operation instanceof CreateConstraint create) {
                checkCreateConstraint(where, create, schema);
            } else if (operation instanceof DropConstraint drop) {
                Identifier column = schema.table(drop.table()).flatMap(t -> t.constraint(drop.name())).orElseThrow().columns().get(0);
                checkShadowExpressions(where, drop, drop.table(), List.of(column), single(column, drop.up()), single(column, drop.down()),
                        schema);
            } else if (operation instanceof DropMultiColumnConstraint drop) {
                checkShadowExpressions(where, drop, drop.table(),
                        schema.table(drop.table()).flatMap(t -> t.constraint(drop.name())).orElseThrow().columns(), drop.up(), drop.down(),
                        schema);
            } else if (operation instanceof DropTable drop) {
                String changedBy = changedEarlier.get(schema.table(drop.name()).orElseThrow().physicalName());
                if (changedBy != null) {
                    // Start would build that change (a column, its sync trigger) on a table it has just renamed aside.
                    problems.add(where + ": table \"" + drop.name() + "\" is changed by " + changedBy + " of this migration, and a "
                            + "migration cannot both change a table and drop it; leave out the operations on \"" + drop.name()
                            + "\" before the drop, or drop the table in a migration of its own");
                }
                dependentViews(schema.table(drop.name()).orElseThrow(), Optional.empty())
                        .forEach(view -> problems.add(where + ": view " + view + " depends on table \"" + drop.name()
                                + "\"; drop or change that view first, or it would stop complete"));
                droppedEarlier.put(schema.table(drop.name()).orElseThrow().physicalName(), plannedStartSql(schema, drop));
            } else if (operation instanceof CreateTable create) {
                // The trial holds the tables created earlier in the migration, so that foreign keys may point at them.
                // A table dropped earlier under this name is renamed aside first, as start does; only then, because
                // that takes an exclusive lock on it.
                SchemaSnapshot at = schema;
                List<String> earlier = Stream.concat(createdEarlier.stream(),
                        droppedEarlier.getOrDefault(create.name(), List.of()).stream()).toList();
                List<String> own = new ArrayList<>();
                if (trial(where, () -> {
                    own.addAll(plannedStartSql(at, create));
                    return Stream.concat(earlier.stream(), own.stream()).toList();
                })) {
                    createdEarlier.addAll(own);
                }
            }
            SchemaSnapshot after = schema.apply(operation, new Problems());
            for (Table table : after.tables()) {
                if (!schema.tables().contains(table)) {
                    changedEarlier.putIfAbsent(table.physicalName(), where);
                }
            }
            schema = after;
        }
        if (problems.isEmpty()) {
            try {
                planner().plan(request);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
    }

    private void checkAddColumn(String where, AddColumn add, SchemaSnapshot schema) throws SQLException {
        // The column as start adds it: a mistyped type, or a default or check that does not compile, is found here, not
        // by start after it has begun.
        Table after = schema.apply(add, new Problems()).table(add.table()).orElseThrow();
        if (!trial(where + ": column \"" + add.column().name() + "\"", () -> columnAsAdded(after, add.column()))) {
            return;
        }
        boolean oldVersionHasTable = existedBefore(add.table(), schema);
        boolean serial = SerialTypes.integerOf(add.column().type()).isPresent();
        if (serial && add.up() != null) {
            problems.add(where + ": column \"" + add.column().name() + "\" is a " + add.column().type().text() + ", whose values come from its "
                    + "sequence, also for the rows already there; leave out up, or give the column an integer type if up should fill it");
            return;
        }
        if (serial && oldVersionHasTable) {
            Identifier sequence = GeneratedNames.fit(schema.table(add.table()).orElseThrow().physicalName().name() + "_"
                    + add.column().name().name() + "_seq");
            if (!strings("SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?",
                    request.schema().name(), sequence.name()).isEmpty()) {
                problems.add(where + ": the sequence of serial column \"" + add.column().name() + "\" would be named \"" + sequence
                        + "\", but a relation of that name already exists in schema \"" + request.schema()
                        + "\"; rename or drop it, or give the column another name");
                return;
            }
        }
        if (add.up() != null && oldVersionHasTable) {
            Table oldVersion = oldVersionOf(add.table(), schema);
            trial(where + ": up (" + add.up() + ")", () -> List.of(probeTable(OLD_SHAPE, oldVersion),
                    SQL.format("SELECT CAST(({}) AS {}) FROM {}", add.up(), add.column().type(), OLD_SHAPE)));
        } else if (oldVersionHasTable && !serial && !add.column().isNullable() && add.column().defaultValue() == null
                && add.column().generated() == null) {
            // A table this migration creates is empty when the column comes and unknown to the old version: no client of
            // it inserts there, so only a table the old version has needs the default.
            problems.add(where + ": column \"" + add.column().name() + "\" is NOT NULL without a default, so clients of the old "
                    + "version, which do not know it, could not insert rows; give it a default, or make it nullable");
            return;
        }
        Table table = schema.table(add.table()).orElseThrow();
        if (physicalColumnExists(table, add.column().name())) {
            problems.add(where + ": column \"" + add.column().name() + "\" still exists in table \"" + add.table()
                    + "\" until the migration that drops it completes; add the new column in a later migration, or give it another name");
            return;
        }
        // With up, the column is added without its default, which is then set for new rows only: no rewrite. A table
        // the migration creates is empty when the column comes.
        if (add.column().defaultValue() != null && add.up() == null && existedBefore(add.table(), schema)) {
            trial(where, () -> {
                probeDefault(where, table.name(), add.column().name(), add.column().type(), add.column().defaultValue());
                return List.of();
            });
        }
    }

    /** An empty temporary table shaped like the table with the column, then the column's default and check on it. */
    private static List<String> columnAsAdded(Table after, ColumnSpec column) {
        List<String> statements = new ArrayList<>(List.of(probeTable(NEW_SHAPE, after)));
        if (column.defaultValue() != null) {
            statements.add(SQL.format("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {}", NEW_SHAPE, column.name(), column.defaultValue()));
        }
        if (column.check() != null) {
            statements.add(SQL.format("ALTER TABLE {} ADD CHECK ({})", NEW_SHAPE, column.check().constraint()));
        }
        return statements;
    }

    /**
     * Adds the column to an empty temporary table without columns, in the rolled-back trial
     * transaction: PostgreSQL rewrites it (new relfilenode) exactly when the default is volatile,
     * rows or not. The probe does not copy the target table, which may not exist yet (created
     * earlier in the same migration) and whose NOT NULL columns would refuse a probe row.
     */
    private void probeDefault(String where, Identifier table, Identifier column, SqlExpr type, SqlExpr defaultValue)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(SQL.format("CREATE TEMPORARY TABLE {} ()", PROBE_TABLE));
            long before = probeFilenode(statement);
            statement.execute(SQL.format("ALTER TABLE {} ADD COLUMN {} {} DEFAULT {}", PROBE_TABLE, column, type, defaultValue));
            if (probeFilenode(statement) != before) {
                problems.add(where + ": the default of column \"" + column + "\" (" + defaultValue
                        + ") is volatile, so adding it would rewrite table \"" + table + "\" under an exclusive lock; "
                        + "give the column an up expression (such as the default itself) and the backfill fills existing rows instead");
            }
        }
    }

    /**
     * The shadow column takes the column's default (or the new one), which must not rewrite the table; {@code up}
     * must compile over the old version's row and give the new type, {@code down} over the new version's row and
     * give the old type. The expressions are compiled against empty temporary tables shaped like each version, in
     * the rolled-back trial, so nothing locks the real table.
     */
    private void checkAlterColumn(String where, AlterColumn alter, SchemaSnapshot schema) throws SQLException {
        Table before = schema.table(alter.table()).orElseThrow();
        Column old = before.column(alter.column()).orElseThrow();
        Table after = schema.apply(alter, new Problems()).table(alter.table()).orElseThrow();
        Column changed = after.column(alter.name() != null ? alter.name() : alter.column()).orElseThrow();
        if (alter.type() != null && !trial(where + ": type (" + alter.type() + ")", () -> List.of(probeTable(NEW_SHAPE, after)))) {
            return; // every later check would fail on the type again
        }
        // The shadow gets its default by SET DEFAULT once backfilled, which never rewrites the table, so a volatile
        // default (a serial's nextval) is fine; it must only compile for the new type.
        Optional<String> defaultValue = changed.defaultExpr();
        if (defaultValue.isPresent()) {
            trial(where + ": default (" + defaultValue.get() + ")", () -> List.of(
                    SQL.format("CREATE TEMPORARY TABLE {} ({} {})", PROBE_TABLE, changed.name(), SqlExpr.of(changed.type())),
                    SQL.format("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {}", PROBE_TABLE, changed.name(), SqlExpr.of(defaultValue.get()))));
        }
        if (alter.check() != null) {
            trial(where + ": check (" + alter.check().constraint() + ")", () -> List.of(probeTable(NEW_SHAPE, after),
                    SQL.format("SELECT CAST(({}) AS boolean) FROM {}", alter.check().constraint(), NEW_SHAPE)));
        }
        if (!existedBefore(alter.table(), schema)) {
            return; // the planner refuses it: such a column is declared as wanted in create_table
        }
        checkShadowCanCarry(where, before, old);
        // The trigger and the backfill assign the value, so it must convert by assignment, not only by an explicit cast.
        if (alter.up() != null) { // over the names as this operation sees them, which earlier operations may have changed
            trial(where + ": up (" + alter.up() + ")", () -> List.of(probeTable(OLD_SHAPE, before),
                    assignmentTarget(changed), assignment(changed, alter.up(), OLD_SHAPE)));
        }
        if (alter.down() != null) {
            trial(where + ": down (" + alter.down() + ")", () -> List.of(probeTable(NEW_SHAPE, after),
                    assignmentTarget(old), assignment(old, alter.down(), NEW_SHAPE)));
        }
    }

    /**
     * create_constraint: the check must compile over the new version's row, a foreign key must point at columns that a
     * primary key or unique constraint covers, and each column's up and down must compile (see below).
     */
    private void checkCreateConstraint(String where, CreateConstraint create, SchemaSnapshot schema) throws SQLException {
        Table after = schema.apply(create, new Problems()).table(create.table()).orElseThrow();
        if (create.check() != null && "check".equals(create.type())) {
            trial(where + ": check (" + create.check() + ")", () -> List.of(probeTable(NEW_SHAPE, after),
                    SQL.format("ALTER TABLE {} ADD CONSTRAINT {} CHECK ({})", NEW_SHAPE, create.name(), create.check())));
        }
        if ("foreign_key".equals(create.type())) {
            Table referenced = schema.table(create.references().table()).orElseThrow();
            Set<Identifier> columns = Set.copyOf(create.references().columns());
            boolean keyed = referenced.constraints().stream().anyMatch(c -> (c.type() == ConstraintType.PRIMARY_KEY
                    || c.type() == ConstraintType.UNIQUE) && Set.copyOf(c.columns()).equals(columns))
                    || referenced.indexes().stream().anyMatch(i -> i.unique() && Set.copyOf(i.columns()).equals(columns));
            if (!keyed) {
                problems.add(where + ": foreign key \"" + create.name() + "\" references " + columns.stream().map(c -> "\"" + c + "\"")
                        .sorted().toList() + " of table \"" + referenced.name() + "\", which no primary key or unique constraint "
                        + "covers; add one there first");
            }
        }
        checkShadowExpressions(where, create, create.table(), create.columns(), create.up(), create.down(), schema);
    }

    /**
     * The constraint operations move each column to a shadow column: {@code up} must compile over the old version's row
     * and give the column's type, {@code down} over the new version's row (where the column keeps its name).
     */
    private void checkShadowExpressions(String where, Operation operation, Identifier tableName, List<Identifier> columns,
                                        Map<Identifier, SqlExpr> up, Map<Identifier, SqlExpr> down, SchemaSnapshot schema)
            throws SQLException {
        if (!existedBefore(tableName, schema)) {
            return;
        }
        Table before = schema.table(tableName).orElseThrow();
        Table oldVersion = oldVersionOf(tableName, schema);
        Table after = schema.apply(operation, new Problems()).table(tableName).orElseThrow();
        for (Identifier name : columns) {
            checkShadowCanCarry(where, before, before.column(name).orElseThrow());
            SqlExpr type = SqlExpr.of(before.column(name).orElseThrow().type());
            SqlExpr upExpression = up == null ? null : up.get(name);
            SqlExpr downExpression = down == null ? null : down.get(name);
            if (upExpression != null) {
                trial(where + ": up of column \"" + name + "\" (" + upExpression + ")", () -> List.of(probeTable(OLD_SHAPE, oldVersion),
                        SQL.format("SELECT CAST(({}) AS {}) FROM {}", upExpression, type, OLD_SHAPE)));
            }
            if (downExpression != null) {
                trial(where + ": down of column \"" + name + "\" (" + downExpression + ")", () -> List.of(probeTable(NEW_SHAPE, after),
                        SQL.format("SELECT CAST(({}) AS {}) FROM {}", downExpression, type, NEW_SHAPE)));
            }
        }
    }

    private static Map<Identifier, SqlExpr> single(Identifier column, SqlExpr expression) {
        return expression == null ? Map.of() : Map.of(column, expression);
    }

    /** What only the catalog shows a shadow of the column could not carry: see {@code FaithfulShadow}. */
    private void checkShadowCanCarry(String where, Table table, Column column) throws SQLException {
        if (!physicalColumnExists(table, column.physicalName())) {
            return;
        }
        for (String index : indexesAShadowCannotCarry(table, column)) {
            problems.add(where + ": index " + index + " uses column \"" + column.name() + "\" in an expression or a predicate, "
                    + "which a shadow column cannot carry over yet; drop the index first, or recreate it after the migration");
        }
        for (String foreignKey : foreignKeysAShadowCannotFollow(table, column)) {
            problems.add(where + ": foreign key " + foreignKey + " references column \"" + column.name() + "\" through a unique "
                    + "constraint, or from its own table, which a shadow column cannot take over yet (only a primary key "
                    + "referenced from other tables moves); drop that foreign key first");
        }
    }

    /** Indexes on the column with expressions or a predicate: a shadow's copy is built from catalog rows, not rewritten text. */
    private List<String> indexesAShadowCannotCarry(Table table, Column column) throws SQLException {
        return strings("""
                SELECT DISTINCT format('%I', ic.relname) FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
                JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = i.indexrelid AND d.refobjid = t.oid
                JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
                WHERE n.nspname = ? AND t.relname = ? AND a.attname = ? AND (i.indexprs IS NOT NULL OR i.indpred IS NOT NULL)
                ORDER BY 1""", request.schema().name(), table.physicalName().name(), column.physicalName().name());
    }

    /** Foreign keys that reference the column other than through the primary key from another table. */
    private List<String> foreignKeysAShadowCannotFollow(Table table, Column column) throws SQLException {
        return strings("""
                SELECT format('%I of table %I', k.conname, c.relname) FROM pg_constraint k
                JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class t ON t.oid = k.confrelid
                JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY (k.confkey)
                WHERE k.contype = 'f' AND n.nspname = ? AND t.relname = ? AND a.attname = ?
                  AND (k.conrelid = k.confrelid OR NOT EXISTS (SELECT 1 FROM pg_constraint p
                       WHERE p.conrelid = k.confrelid AND p.contype = 'p' AND p.conindid = k.conindid))
                ORDER BY 1""", request.schema().name(), table.physicalName().name(), column.physicalName().name());
    }

    private static final Identifier ASSIGNMENT_TARGET = Identifier.of("_acc_probe_target");

    /** An empty temporary table with only the column an expression fills. */
    private static String assignmentTarget(Column column) {
        return SQL.format("CREATE TEMPORARY TABLE {} ({} {})", ASSIGNMENT_TARGET, column.name(), SqlExpr.of(column.type()));
    }

    /** An INSERT of no rows, which PostgreSQL still compiles, with the assignment conversion the trigger makes. */
    private static String assignment(Column column, SqlExpr expression, Identifier shape) {
        return SQL.format("INSERT INTO {} ({}) SELECT ({}) FROM {}", ASSIGNMENT_TARGET, column.name(), expression, shape);
    }

    /** Whether the table was there before the migration: only then do old rows and old-version writes need up. */
    private boolean existedBefore(Identifier table, SchemaSnapshot schema) {
        Identifier physical = schema.table(table).orElseThrow().physicalName();
        return request.before().tables().stream().anyMatch(t -> t.physicalName().equals(physical));
    }

    private Table oldVersionOf(Identifier table, SchemaSnapshot schema) {
        Identifier physical = schema.table(table).orElseThrow().physicalName();
        return request.before().tables().stream().filter(t -> t.physicalName().equals(physical)).findFirst().orElseThrow();
    }

    /** An empty temporary table with a version's column names and types, to compile that version's expressions against. */
    private static String probeTable(Identifier name, Table shape) {
        List<String> columns = shape.columns().stream().map(c -> SQL.format("{} {}", c.name(), SqlExpr.of(c.type()))).toList();
        return SQL.format("CREATE TEMPORARY TABLE {} (", name) + String.join(", ", columns) + ")";
    }

    private static long probeFilenode(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery(SQL.format("SELECT pg_relation_filenode({}::regclass)",
                Literal.of(SQL.quote(PROBE_TABLE))))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Whether the table, if it exists yet, physically has the column: a column dropped earlier in the migration does until complete. */
    private boolean physicalColumnExists(Table table, Identifier column) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT 1 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = ? AND c.relname = ? AND a.attname = ? AND a.attnum > 0 AND NOT a.attisdropped""")) {
            statement.setString(1, request.schema().name());
            statement.setString(2, table.physicalName().name());
            statement.setString(3, column.name());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next();
            }
        }
    }

    private void checkDropColumn(String where, DropColumn drop, SchemaSnapshot schema) throws SQLException {
        Table table = schema.table(drop.table()).orElseThrow();
        Column column = table.column(drop.column()).orElseThrow();
        if (drop.down() != null) {
            Table newVersion = schema.apply(drop, new Problems()).table(drop.table()).orElseThrow();
            trial(where + ": down (" + drop.down() + ")", () -> List.of(probeTable(NEW_SHAPE, newVersion),
                    SQL.format("SELECT CAST(({}) AS {}) FROM {}", drop.down(), SqlExpr.of(column.type()), NEW_SHAPE)));
        } else if (!column.nullable() && !column.hasDefault()) {
            problems.add(where + ": column \"" + drop.column() + "\" is NOT NULL without a default, so clients of the new version, "
                    + "which no longer see it, could not insert rows; give it a default first, or make it nullable");
        }
        dependentViews(table, Optional.of(column)).forEach(view -> problems.add(where + ": view " + view
                + " uses column \"" + drop.column() + "\"; drop or change that view first, or it would stop complete"));
    }

    /** Complete drops the moved columns from the source table, so no view of the user may use them. */
    private void checkSplitTable(String where, SplitTable split, SchemaSnapshot schema) throws SQLException {
        Table table = schema.table(split.table()).orElseThrow();
        for (Identifier moved : split.columns().keySet()) {
            Column column = table.column(moved).orElseThrow();
            dependentViews(table, Optional.of(column)).forEach(view -> problems.add(where + ": view " + view + " uses column \""
                    + moved + "\", which split_table moves to table \"" + split.into()
                    + "\"; drop or change that view first, or it would stop complete"));
        }
    }

    /** The first column of every row a catalog query returns, its parameters given as text (null for SQL NULL). */
    private List<String> strings(String sql, String... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
            return values;
        }
    }

    /** Views and rules of the user (not Accordion's version schemas) that depend on the table or column. */
    private List<String> dependentViews(Table table, Optional<Column> column) throws SQLException {
        String sql = """
                SELECT DISTINCT format('%I.%I', vn.nspname, v.relname)
                FROM pg_depend d
                JOIN pg_rewrite r ON r.oid = d.objid AND d.classid = 'pg_rewrite'::regclass
                JOIN pg_class v ON v.oid = r.ev_class JOIN pg_namespace vn ON vn.oid = v.relnamespace
                JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace
                LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
                WHERE tn.nspname = ? AND t.relname = ? AND v.oid <> t.oid AND (? IS NULL OR a.attname = ?)
                  AND vn.nspname <> ? ORDER BY 1""";
        String columnName = column.map(c -> c.physicalName().name()).orElse(null);
        return strings(sql, request.schema().name(), table.physicalName().name(), columnName, columnName,
                request.oldVersionSchema().map(Identifier::name).orElse(""));
    }

    /** The statements of the operation's first start step, planned against the schema as it is at that point. */
    private List<String> plannedStartSql(SchemaSnapshot before, Operation operation) {
        return planner().plan(new PlanRequest(request.schema(), Migration.of("trial", operation), before,
                        Optional.empty(), Identifier.of("_acc_trial"), request.capabilities()))
                .steps(Phase.START).get(0).plannedSql();
    }

    /** Plans only, never runs: the catalog reader is not needed. */
    private static MigrationPlanner planner() {
        return new MigrationPlanner((connection, schema) -> {
            throw new IllegalStateException("validation never runs a step");
        });
    }

    private interface TrialStatements {
        List<String> get() throws SQLException;
    }

    /**
     * Runs statements in a savepoint-guarded transaction that is always rolled back; a failure becomes
     * a problem. Returns whether every statement ran.
     */
    private boolean trial(String where, TrialStatements statements) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        Savepoint savepoint = connection.setSavepoint();
        try (Statement statement = connection.createStatement()) {
            // The session's lock timeout is the phase's (see Dialect.validateAgainstDatabase): a trial that waited
            // longer would queue the table's traffic behind it.
            for (String sql : statements.get()) {
                statement.execute(sql);
            }
            return true;
        } catch (SQLException e) {
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                problems.add(where + ": could not be checked, because another session held a lock on a table it "
                        + "touches for longer than the lock timeout; nothing was changed, run the command again in a moment "
                        + "(or with a longer lock timeout)");
            } else {
                // the position is in Accordion's trial statement, which the user never wrote
                problems.add(where + ": PostgreSQL refuses it: " + e.getMessage().replaceAll("\\s*Position: \\d+\\s*$", "").strip());
            }
            return false;
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + e.getMessage());
            return false;
        } finally {
            connection.rollback(savepoint);
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
    }

    private boolean schemaExists(Identifier schema) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            statement.setString(1, schema.name());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next();
            }
        }
    }
}
