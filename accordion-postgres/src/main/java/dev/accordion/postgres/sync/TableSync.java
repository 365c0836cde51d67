package dev.accordion.postgres.sync;

import dev.accordion.plan.LockClaim;
import dev.accordion.schema.Column;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.SqlExpr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the operations of one migration ask of one table's sync trigger, gathered while they are planned: columns
 * the old version's writes fill through {@code up}, columns the new version's writes fill through {@code down},
 * and the columns that go away with the trigger: the old side at complete, the new side at rollback.
 */
public final class TableSync {

    private final Table oldVersion;
    private Table newVersion;
    private final List<SyncRule> up = new ArrayList<>();
    private final List<SyncRule> down = new ArrayList<>();
    private final List<Identifier> dropAtComplete = new ArrayList<>();
    private final List<Identifier> dropAtRollback = new ArrayList<>();
    private final List<LockClaim> locksAtComplete = new ArrayList<>();
    private final List<String> afterBackfill = new ArrayList<>();
    private final List<SettledStep> whenSettled = new ArrayList<>();
    private final List<TwoWay> twoWay = new ArrayList<>();

    /**
     * A column kept in two shapes while the migration is active: {@code shadow}, the new version's, filled by {@code up}
     * from {@code old}, the old version's, which {@code down} fills back. Each side's value follows from the other's,
     * which is what complete checks before it drops the old side.
     */
    public record TwoWay(Identifier shadow, Identifier old) {
    }

    /** A step of complete that needs the migration's names settled (the old columns gone, the shadows renamed). */
    public record SettledStep(String key, String summary, List<LockClaim> locks, List<String> sql) {
        public SettledStep {
            locks = List.copyOf(locks);
            sql = List.copyOf(sql);
        }
    }

    /**
     * @param oldVersion the table as the old version sees it; its names are the physical ones, since complete
     *                   settles every name before the next migration starts
     */
    public TableSync(Table oldVersion) {
        this.oldVersion = oldVersion;
        this.newVersion = oldVersion;
    }

    /** Fills {@code target} from the old version's writes. */
    public void up(Identifier target, SqlExpr expression) {
        up.add(new SyncRule(target, expression));
    }

    /** Fills {@code target} from the new version's writes. */
    public void down(Identifier target, SqlExpr expression) {
        down.add(new SyncRule(target, expression));
    }

    /** Replaces the expression that fills {@code target} from the old version's writes (a later operation composed it). */
    public void replaceUp(Identifier target, SqlExpr expression) {
        up.replaceAll(rule -> rule.target().equals(target) ? new SyncRule(target, expression) : rule);
    }

    /** Replaces the expression that fills {@code target} from the new version's writes (a later operation rebound its names). */
    public void replaceDown(Identifier target, SqlExpr expression) {
        down.replaceAll(rule -> rule.target().equals(target) ? new SyncRule(target, expression) : rule);
    }

    /** Records that {@code shadow} and {@code old} hold one column in two shapes (see {@link TwoWay}). */
    public void twoWay(Identifier shadow, Identifier old) {
        twoWay.add(new TwoWay(shadow, old));
    }

    public List<TwoWay> twoWayColumns() {
        return List.copyOf(twoWay);
    }

    public void dropAtComplete(Identifier physicalColumn) {
        dropAtComplete.add(physicalColumn);
    }

    /** Locks on other tables that dropping the old side's columns takes (a foreign key of a dropped column). */
    public void lockAtComplete(List<LockClaim> locks) {
        locks.stream().filter(lock -> !locksAtComplete.contains(lock)).forEach(locksAtComplete::add);
    }

    public List<LockClaim> locksAtComplete() {
        return List.copyOf(locksAtComplete);
    }

    public void dropAtRollback(Identifier physicalColumn) {
        dropAtRollback.add(physicalColumn);
    }

    /**
     * Statements that must wait until the backfill has filled every row (a shadow's NOT NULL check, which an old-version
     * update of an unfilled row would otherwise fail, and its default, which only the new version's inserts need); they
     * run in one transaction after the backfill, before the new version exists.
     */
    public void afterBackfill(String... sql) {
        afterBackfill.addAll(List.of(sql));
    }

    public List<String> afterBackfillSql() {
        return List.copyOf(afterBackfill);
    }

    /** A step of complete that runs after NameSettling, in the order given. */
    public void whenSettled(SettledStep step) {
        whenSettled.add(step);
    }

    public List<SettledStep> settledSteps() {
        return List.copyOf(whenSettled);
    }

    /** The table as the new version sees it, once every operation of the migration has been applied. */
    public void newVersion(Table table) {
        newVersion = table;
    }

    public Table oldVersion() {
        return oldVersion;
    }

    public Table newVersion() {
        return newVersion;
    }

    public List<SyncRule> upRules() {
        return List.copyOf(up);
    }

    public List<SyncRule> downRules() {
        return List.copyOf(down);
    }

    public List<Identifier> droppedAtComplete() {
        return List.copyOf(dropAtComplete);
    }

    public List<Identifier> droppedAtRollback() {
        return List.copyOf(dropAtRollback);
    }

    public boolean needsBackfill() {
        return !up.isEmpty();
    }

    /** A version's columns by the names its expressions use, mapped to physical columns. */
    static Map<Identifier, Identifier> namesToPhysical(Table table) {
        Map<Identifier, Identifier> columns = new LinkedHashMap<>();
        for (Column column : table.columns()) {
            columns.put(column.name(), column.physicalName());
        }
        return columns;
    }
}
