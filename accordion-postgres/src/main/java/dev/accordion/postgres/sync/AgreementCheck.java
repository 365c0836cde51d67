package dev.accordion.postgres.sync;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.Hint;
import dev.accordion.plan.LockClaim;
import dev.accordion.plan.LockLevel;
import dev.accordion.plan.Step;
import dev.accordion.plan.StepId;
import dev.accordion.postgres.Locks;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.QualifiedName;
import dev.accordion.sql.SqlBuilder.Fragment;
import dev.accordion.sql.SqlExpr;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Complete's first step (issue 4, "Consistency before contract"): before anything of the old version goes, every row
 * of a table whose columns the two versions hold in two shapes must agree between them. A row agrees when every new-side
 * column holds what {@code up} computes from the old side (rows the old version or the backfill wrote), or every
 * old-side column holds what {@code down} computes from the new side (rows the new version wrote). A row that does
 * neither was written around the sync trigger (with {@code session_replication_role = replica}, a disabled trigger,
 * a restore), and dropping the old side would lose what it holds.
 *
 * <p>Only what can be recomputed is compared ({@link Recomputation}): a column whose expected value is not IMMUTABLE
 * ({@code random()}, {@code nextval()}, {@code now()}, a sub-select over a table) gave another value when the row was
 * written than it gives now, so it is left out of its side's comparison, and a side with nothing left to compare proves
 * nothing, which makes every row agree. Which columns were left out, and why, is logged when the step runs. A write
 * around the trigger is then still caught through the columns that are compared, and missed when it only touched
 * columns that could not be.
 *
 * <p>The table is read in key order, {@value #BATCH} keys per statement, each its own snapshot, with no lock but the
 * reads'. Nothing is written, so nothing is checkpointed: a check that stopped starts over. Disagreeing rows are counted
 * over the whole table and the first {@value #EXAMPLES} named; then the step fails and complete has changed nothing.
 *
 * @param newSide each new-side column with the value {@code up} gives it, cast to its type, over the table's columns
 * @param oldSide each old-side column with the value {@code down} gives it, likewise
 */
public record AgreementCheck(StepId id, QualifiedName table, List<Backfill.KeyColumn> key, List<Expected> newSide,
                             List<Expected> oldSide) implements Step {

    private static final Logger LOG = LoggerFactory.getLogger(AgreementCheck.class);
    static final int BATCH = 10_000;
    static final int EXAMPLES = 10;
    private static final Identifier ROWS = Identifier.of("_acc_rows");
    private static final Identifier AGREES = Identifier.of("_acc_agrees");

    /** A column and the value it should hold, as SQL over the table's own columns. */
    public record Expected(Identifier column, SqlExpr value) {
    }

    public AgreementCheck {
        key = List.copyOf(key);
        newSide = List.copyOf(newSide);
        oldSide = List.copyOf(oldSide);
    }

    @Override
    public String summary() {
        return "check that every row of " + SQL.quote(table) + " agrees between the two versions";
    }

    @Override
    public boolean transactional() {
        return false;
    }

    @Override
    public boolean checksOnly() {
        return true;
    }

    @Override
    public List<LockClaim> locks() {
        return List.of(Locks.on(LockLevel.ACCESS_SHARE, table));
    }

    @Override
    public List<String> plannedSql() {
        return List.of(String.format(Locale.ROOT, "-- read only, %,d keys per statement, until no row is left; the first has no lower bound:",
                BATCH), "-- a column whose expected value is not immutable is left out of the comparison (asked when the step runs)",
                batchSql(true, newSide, oldSide));
    }

    @Override
    public List<String> sqlToRun(Connection connection) throws SQLException {
        List<Expected> newCompared = recomputable(connection, newSide);
        List<Expected> oldCompared = recomputable(connection, oldSide);
        List<String> after = null;
        long checked = 0;
        long disagreeing = 0;
        List<String> examples = new ArrayList<>();
        while (true) {
            try (PreparedStatement statement = connection.prepareStatement(batchSql(after != null, newCompared, oldCompared))) {
                int parameter = 1;
                if (after != null) {
                    for (String value : after) {
                        statement.setString(parameter++, value);
                    }
                }
                statement.setInt(parameter, BATCH);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    long rows = rs.getLong(1);
                    if (rows == 0) {
                        break;
                    }
                    checked += rows;
                    disagreeing += rs.getLong(2);
                    Array found = rs.getArray(3);
                    if (found != null) {
                        for (String example : (String[]) found.getArray()) {
                            if (examples.size() < EXAMPLES) {
                                examples.add(example);
                            }
                        }
                    }
                    after = List.of((String[]) rs.getArray(4).getArray());
                    if (rows < BATCH) {
                        break;
                    }
                }
            }
        }
        if (disagreeing > 0) {
            throw new AccordionException(ErrorCode.ROWS_DISAGREE, refusal(checked, disagreeing, examples, newCompared, oldCompared),
                    Hint.SKIP_AGREEMENT_CHECK);
        }
        return List.of();
    }

    /** The expected values that can be recomputed; the others are logged with the reason, and left out. */
    private List<Expected> recomputable(Connection connection, List<Expected> expected) throws SQLException {
        List<Expected> compared = new ArrayList<>();
        for (Expected each : expected) {
            var why = Recomputation.whyNot(connection, table, each.value());
            if (why.isPresent()) {
                LOG.warn("complete cannot check column {} of {} against its sync expression, which {}: the expression gives "
                                + "another value now than when the row was written, so the column is left out of the agreement check",
                        SQL.quote(each.column()), SQL.quote(table), why.get());
            } else {
                compared.add(each);
            }
        }
        return compared;
    }

    private String refusal(long checked, long disagreeing, List<String> examples, List<Expected> newCompared,
                           List<Expected> oldCompared) {
        String keyNames = key.size() == 1 ? SQL.quote(key.get(0).name())
                : "(" + key.stream().map(k -> SQL.quote(k.name())).collect(Collectors.joining(", ")) + ")";
        return String.format(Locale.ROOT, "complete refused: %,d of the %,d rows of %s disagree between the two versions, for example "
                        + "where %s is %s%s. In these rows the new side (%s) is not what up computes from the old side (%s), nor "
                        + "the old side what down computes from the new: something wrote them around the sync trigger "
                        + "(session_replication_role = replica, a disabled "
                        + "trigger, a restore). Nothing was changed. Write each of them again through either version's schema, "
                        + "which runs the trigger, then run \"accordion complete\" again; or \"accordion rollback\"; or "
                        + "complete without this check to drop the old side as it is.",
                disagreeing, checked, SQL.quote(table), keyNames, String.join(", ", examples), disagreeing > examples.size() ? ", ..." : "",
                SQL.format("{}", newCompared.stream().map(Expected::column).toList()),
                SQL.format("{}", oldCompared.stream().map(Expected::column).toList()));
    }

    /**
     * The next {@code BATCH} keys after the last one, whether each row agrees, and: how many rows, how many disagree, the
     * first disagreeing keys, and the last key as text.
     */
    String batchSql(boolean bounded, List<Expected> newCompared, List<Expected> oldCompared) {
        List<Identifier> columns = key.stream().map(Backfill.KeyColumn::name).toList();
        List<Identifier> aliases = IntStream.rangeClosed(1, key.size()).mapToObj(i -> Identifier.of("_acc_k" + i)).toList();
        List<Fragment> selected = IntStream.range(0, key.size()).mapToObj(i -> SQL.fragment("{} AS {}", columns.get(i), aliases.get(i)))
                .toList();
        Fragment lowerBound = bounded ? SQL.fragment(" WHERE ({}) > ({})", columns,
                key.stream().map(k -> SQL.fragment("CAST(? AS {})", k.type())).toList()) : SQL.fragment("");
        Fragment exampleKey = key.size() == 1 ? SQL.fragment("{}::text", aliases.get(0)) : SQL.fragment("ROW({})::text", aliases);
        List<Fragment> lastKey = aliases.stream().map(a -> SQL.fragment("{}.{}::text", ROWS, a)).toList();
        List<Fragment> descending = aliases.stream().map(a -> SQL.fragment("{}.{} DESC", ROWS, a)).toList();
        return SQL.format("WITH {} AS (SELECT {}, ({}) OR ({}) AS {} FROM {}{} ORDER BY {} LIMIT ?) "
                        + "SELECT count(*), count(*) FILTER (WHERE NOT {}), "
                        + "(array_agg({} ORDER BY {}) FILTER (WHERE NOT {}))[1:" + EXAMPLES + "], "
                        + "(SELECT ARRAY[{}] FROM {} ORDER BY {} LIMIT 1) FROM {}",
                ROWS, selected, holds(newCompared), holds(oldCompared), AGREES, table, lowerBound, columns,
                AGREES, exampleKey, aliases, AGREES, lastKey, ROWS, descending, ROWS);
    }

    /**
     * Every column holds its expected value (NULL counting as a value); with no column to compare, true: nothing shows
     * that the side disagrees.
     */
    private static Fragment holds(List<Expected> expected) {
        if (expected.isEmpty()) {
            return SQL.fragment("true");
        }
        return new Fragment(expected.stream().map(e -> SQL.format("{} IS NOT DISTINCT FROM ({})", e.column(), e.value()))
                .collect(Collectors.joining(" AND ")));
    }
}
