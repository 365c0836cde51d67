package dev.accordion.postgres.sync;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.postgres.GeneratedNames;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.Literal;
import dev.accordion.sql.QualifiedName;
import dev.accordion.sql.SqlBuilder.Fragment;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The SQL of one table's sync trigger (DESIGN §2, "Dual write"). One BEFORE row trigger per table and migration:
 * a write from the new version fills the old side's columns through {@code down}, any other write fills the new
 * side's through {@code up}. It only assigns to NEW, so it cannot recurse. It fires on UPDATE only for the columns
 * the expressions read or fill, and never for the backfill's session, so backfilled rows cost no function call.
 * Every write it serves marks the row synced, which is how the backfill knows to leave a row alone.
 *
 * <p>User expressions are not rewritten: each branch declares PL/pgSQL variables named after that version's
 * columns, holding the row's values, so {@code price / 100.0} reads the variable {@code price}. With
 * {@code variable_conflict use_column} a sub-select's own columns win over those variables, as in plain SQL.
 */
public final class SyncTrigger {

    /** The column that says a row was written through the trigger, so the backfill must not touch it. */
    public static final Identifier SYNCED_FLAG = Identifier.of("_acc_synced");
    /** The session setting a backfill sets so that the trigger skips its rows. */
    public static final String BACKFILL_SETTING = "accordion.backfill";
    /** The session setting that names a writer's version explicitly; otherwise the first schema of its search_path. */
    public static final String VERSION_SETTING = "accordion.version";

    private final QualifiedName table;
    private final Identifier newVersionSchema;
    private final TableSync sync;

    public SyncTrigger(QualifiedName table, Identifier newVersionSchema, TableSync sync) {
        this.table = table;
        this.newVersionSchema = newVersionSchema;
        this.sync = sync;
    }

    public QualifiedName function() {
        return new QualifiedName(table.schema(), GeneratedNames.fit("_acc_sync_" + table.name().name()));
    }

    public Identifier trigger() {
        return GeneratedNames.fit("_acc_sync_" + table.name().name());
    }

    /** Adding the flag column, the function and the trigger; one transaction. */
    public List<String> install() {
        return List.of(
                SQL.format("ALTER TABLE {} ADD COLUMN IF NOT EXISTS {} boolean", table, SYNCED_FLAG),
                functionDefinition(),
                SQL.format("DROP TRIGGER IF EXISTS {} ON {}", trigger(), table),
                SQL.format("CREATE TRIGGER {} BEFORE INSERT OR UPDATE OF {} ON {} FOR EACH ROW "
                                + "WHEN (current_setting({}, true) IS DISTINCT FROM 'on') EXECUTE FUNCTION {}()",
                        trigger(), List.copyOf(servedColumns()), table, Literal.of(BACKFILL_SETTING), function()));
    }

    /** Dropping the trigger, the function and the flag, with the given columns; one transaction. */
    public List<String> remove(List<Identifier> columns) {
        List<String> sql = new ArrayList<>();
        sql.add(SQL.format("DROP TRIGGER IF EXISTS {} ON {}", trigger(), table));
        sql.add(SQL.format("DROP FUNCTION IF EXISTS {}()", function()));
        for (Identifier column : columns) {
            sql.add(SQL.format("ALTER TABLE {} DROP COLUMN IF EXISTS {}", table, column));
        }
        sql.add(SQL.format("ALTER TABLE {} DROP COLUMN IF EXISTS {}", table, SYNCED_FLAG));
        return sql;
    }

    /** The physical columns whose update must fire the trigger: those the rules fill and those they read. */
    Set<Identifier> servedColumns() {
        Set<Identifier> columns = new LinkedHashSet<>();
        Map<Identifier, Identifier> oldColumns = TableSync.namesToPhysical(sync.oldVersion());
        Map<Identifier, Identifier> newColumns = TableSync.namesToPhysical(sync.newVersion());
        for (SyncRule rule : sync.upRules()) {
            columns.add(rule.target());
            ExpressionColumns.readBy(rule.expression(), oldColumns.keySet()).forEach(c -> columns.add(oldColumns.get(c)));
        }
        for (SyncRule rule : sync.downRules()) {
            columns.add(rule.target());
            ExpressionColumns.readBy(rule.expression(), newColumns.keySet()).forEach(c -> columns.add(newColumns.get(c)));
        }
        return columns;
    }

    private String functionDefinition() {
        String body = String.join("\n",
                "#variable_conflict use_column",
                "BEGIN",
                SQL.format("  IF coalesce(nullif(current_setting({}, true), ''), (current_schemas(false))[1]) = {} THEN",
                        Literal.of(VERSION_SETTING), Literal.of(newVersionSchema.name())),
                branch(sync.downRules(), TableSync.namesToPhysical(sync.newVersion())),
                "  ELSE",
                branch(sync.upRules(), TableSync.namesToPhysical(sync.oldVersion())),
                "  END IF;",
                SQL.format("  NEW.{} := true;", SYNCED_FLAG),
                "  RETURN NEW;",
                "END");
        String tag = dollarTag(body);
        return SQL.format("CREATE OR REPLACE FUNCTION {}() RETURNS trigger LANGUAGE plpgsql AS ", function())
                + tag + "\n" + body + "\n" + tag;
    }

    /** One version's assignments, in a block whose variables carry that version's names. */
    private String branch(List<SyncRule> rules, Map<Identifier, Identifier> columns) {
        if (rules.isEmpty()) {
            return "    NULL;";
        }
        Set<Identifier> read = new LinkedHashSet<>();
        rules.forEach(rule -> read.addAll(ExpressionColumns.readBy(rule.expression(), columns.keySet())));
        List<String> lines = new ArrayList<>();
        if (!read.isEmpty()) {
            lines.add("    DECLARE");
            for (Identifier name : columns.keySet()) {
                if (read.contains(name)) {
                    Fragment column = SQL.fragment("{}.{}", table, columns.get(name));
                    lines.add(SQL.format("      {} {}%TYPE := NEW.{};", name, column, columns.get(name)));
                }
            }
        }
        lines.add("    BEGIN");
        for (SyncRule rule : rules) {
            lines.add(SQL.format("      NEW.{} := ({});", rule.target(), rule.expression()));
        }
        lines.add("    END;");
        return lines.stream().collect(Collectors.joining("\n"));
    }

    /** A dollar-quote tag that the function body does not contain, so no user expression can end the body early. */
    private static String dollarTag(String body) {
        String tag = "$accordion$";
        for (int n = 1; body.contains(tag); n++) {
            tag = "$accordion" + n + "$";
        }
        return tag;
    }
}
