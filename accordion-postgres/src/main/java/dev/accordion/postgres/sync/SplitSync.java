package dev.accordion.postgres.sync;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.postgres.GeneratedNames;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.Keyword;
import dev.accordion.sql.Literal;
import dev.accordion.sql.QualifiedName;
import dev.accordion.sql.SqlBuilder.Fragment;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL that keeps a source table and the table split off it in sync while both versions write (DESIGN §2,
 * "Cross-table sync (split table) uses AFTER triggers that write the other table and guard against re-entry").
 *
 * <p>The old version writes the moved columns in the source: an AFTER INSERT trigger (only for a row with a non-null
 * moved column) and an AFTER UPDATE OF the moved columns upsert the row of the split table, or delete it when every
 * moved column is null, so a row exists there exactly for the source rows with at least one non-null moved column.
 * The new version writes the split table: an AFTER INSERT, UPDATE or DELETE trigger copies the values back into the
 * source row (nulls for a deleted row). A source row's delete reaches the split table through the foreign key's
 * ON DELETE CASCADE, a change of its key through ON UPDATE CASCADE.
 *
 * <p>Re-entry guard: both functions run with the setting {@value #GUARD_SETTING} on (a function-level SET, undone
 * when the function returns, even on an error), and every trigger's WHEN condition skips writes made while it is on,
 * so the write a trigger makes to the other table fires nothing back. The split table's trigger also skips the
 * backfill's session ({@link SyncTrigger#BACKFILL_SETTING}).
 */
public final class SplitSync {

    /** The setting that is on while a split trigger writes the other table. */
    public static final String GUARD_SETTING = "accordion.split_sync";

    /** A moved column: its physical name in the source and its name in the split table. */
    public record Moved(Identifier source, Identifier target) {
    }

    private final QualifiedName source;
    private final Identifier sourceKey;
    private final QualifiedName into;
    private final Identifier intoKey;
    private final List<Moved> moved;

    public SplitSync(QualifiedName source, Identifier sourceKey, QualifiedName into, Identifier intoKey, List<Moved> moved) {
        this.source = source;
        this.sourceKey = sourceKey;
        this.into = into;
        this.intoKey = intoKey;
        this.moved = List.copyOf(moved);
    }

    /** The function the source's triggers run: writes of the old version into the split table. */
    public QualifiedName toIntoFunction() {
        return new QualifiedName(source.schema(), GeneratedNames.fit("_acc_split_to_" + into.name().name()));
    }

    /** The function the split table's trigger runs: writes of the new version back into the source. */
    public QualifiedName fromIntoFunction() {
        return new QualifiedName(source.schema(), GeneratedNames.fit("_acc_split_from_" + into.name().name()));
    }

    public Identifier sourceInsertTrigger() {
        return GeneratedNames.fit("_acc_split_to_" + into.name().name() + "_ins");
    }

    public Identifier sourceUpdateTrigger() {
        return GeneratedNames.fit("_acc_split_to_" + into.name().name() + "_upd");
    }

    public Identifier intoTrigger() {
        return GeneratedNames.fit("_acc_split_from_" + into.name().name());
    }

    /** The functions and the three triggers; in the transaction that creates the split table. */
    public List<String> install() {
        List<Identifier> sourceColumns = moved.stream().map(Moved::source).toList();
        Fragment anyMovedSet = new Fragment(sourceColumns.stream().map(c -> SQL.format("NEW.{} IS NOT NULL", c))
                .collect(Collectors.joining(" OR ")));
        return List.of(
                toIntoFunctionDefinition(),
                fromIntoFunctionDefinition(),
                SQL.format("CREATE TRIGGER {} AFTER INSERT ON {} FOR EACH ROW WHEN ({} AND ({})) EXECUTE FUNCTION {}()",
                        sourceInsertTrigger(), source, notGuarded(), anyMovedSet, toIntoFunction()),
                SQL.format("CREATE TRIGGER {} AFTER UPDATE OF {} ON {} FOR EACH ROW WHEN ({}) EXECUTE FUNCTION {}()",
                        sourceUpdateTrigger(), sourceColumns, source, notGuarded(), toIntoFunction()),
                SQL.format("CREATE TRIGGER {} AFTER INSERT OR UPDATE OR DELETE ON {} FOR EACH ROW "
                                + "WHEN ({} AND current_setting({}, true) IS DISTINCT FROM 'on') EXECUTE FUNCTION {}()",
                        intoTrigger(), into, notGuarded(), Literal.of(SyncTrigger.BACKFILL_SETTING), fromIntoFunction()));
    }

    /** The source's triggers and both functions; the split table's trigger goes with the split table (rollback). */
    public List<String> removeSourceTriggers() {
        List<String> sql = new ArrayList<>();
        sql.add(SQL.format("DROP TRIGGER IF EXISTS {} ON {}", sourceInsertTrigger(), source));
        sql.add(SQL.format("DROP TRIGGER IF EXISTS {} ON {}", sourceUpdateTrigger(), source));
        return sql;
    }

    public String removeIntoTrigger() {
        return SQL.format("DROP TRIGGER IF EXISTS {} ON {}", intoTrigger(), into);
    }

    public List<String> removeFunctions() {
        return List.of(SQL.format("DROP FUNCTION IF EXISTS {}()", toIntoFunction()),
                SQL.format("DROP FUNCTION IF EXISTS {}()", fromIntoFunction()));
    }

    private static Fragment notGuarded() {
        return SQL.fragment("current_setting({}, true) IS DISTINCT FROM 'on'", Literal.of(GUARD_SETTING));
    }

    private String toIntoFunctionDefinition() {
        List<Identifier> targets = moved.stream().map(Moved::target).toList();
        String allNull = moved.stream().map(m -> SQL.format("NEW.{} IS NULL", m.source())).collect(Collectors.joining(" AND "));
        List<Fragment> values = moved.stream().map(m -> SQL.fragment("NEW.{}", m.source())).toList();
        List<Fragment> fromExcluded = targets.stream().map(t -> SQL.fragment("{} = EXCLUDED.{}", t, t)).toList();
        return function(toIntoFunction(), String.join("\n",
                "  IF " + allNull + " THEN",
                SQL.format("    DELETE FROM {} WHERE {} = NEW.{};", into, intoKey, sourceKey),
                "  ELSE",
                SQL.format("    INSERT INTO {} ({}, {}) VALUES (NEW.{}, {})", into, intoKey, targets, sourceKey, values),
                SQL.format("      ON CONFLICT ({}) DO UPDATE SET {};", intoKey, fromExcluded),
                "  END IF;"));
    }

    private String fromIntoFunctionDefinition() {
        List<Fragment> cleared = moved.stream().map(m -> SQL.fragment("{} = NULL", m.source())).toList();
        List<Fragment> copied = moved.stream().map(m -> SQL.fragment("{} = NEW.{}", m.source(), m.target())).toList();
        String clearOld = SQL.format("UPDATE {} SET {} WHERE {} = OLD.{};", source, cleared, sourceKey, intoKey);
        return function(fromIntoFunction(), String.join("\n",
                "  IF TG_OP = 'DELETE' THEN",
                "    " + clearOld,
                "    RETURN NULL;",
                "  END IF;",
                "  IF TG_OP = 'UPDATE' THEN",
                SQL.format("    IF OLD.{} IS DISTINCT FROM NEW.{} THEN", intoKey, intoKey),
                "      " + clearOld,
                "    END IF;",
                "  END IF;",
                SQL.format("  UPDATE {} SET {} WHERE {} = NEW.{};", source, copied, sourceKey, intoKey)));
    }

    /** An AFTER row trigger function that runs with the guard on; the body's names are all quoted, and use_column wins. */
    private static String function(QualifiedName name, String statements) {
        String body = String.join("\n", "#variable_conflict use_column", "BEGIN", statements, "  RETURN NULL;", "END");
        String tag = "$accordion$";
        for (int n = 1; body.contains(tag); n++) { // a quoted name could hold the tag
            tag = "$accordion" + n + "$";
        }
        return SQL.format("CREATE OR REPLACE FUNCTION {}() RETURNS trigger LANGUAGE plpgsql SET {} = 'on' AS ", name,
                Keyword.of(GUARD_SETTING)) + tag + "\n" + body + "\n" + tag;
    }
}
