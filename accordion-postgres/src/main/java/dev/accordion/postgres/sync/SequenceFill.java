package dev.accordion.postgres.sync;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.plan.BatchedStep;
import dev.accordion.plan.LockClaim;
import dev.accordion.plan.LockLevel;
import dev.accordion.plan.StepId;
import dev.accordion.postgres.Locks;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.Literal;
import dev.accordion.sql.QualifiedName;
import dev.accordion.sql.SqlExpr;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Gives the rows that existed before a serial column was added a value from its sequence, a few pages per batch, as
 * {@code ADD COLUMN … serial} would have done under an exclusive lock and a rewrite. Unlike a backfill through
 * {@code up}, it needs no sync trigger: the old version cannot write the column, its inserts get the sequence's value
 * as the column's default, so the only rows left NULL are the old ones, and a value once given is never recomputed.
 * A row an update moves behind the walk is still NULL, so the walk ends with sweeps until none is left.
 * The position is {@code page:<next page>} while walking and {@code sweep} after, as {@link CtidBackfill}'s.
 */
public record SequenceFill(StepId id, QualifiedName table, Identifier column, QualifiedName sequence) implements BatchedStep {

    private static final String SWEEP = "sweep";
    private static final Identifier FILLED = Identifier.of("_acc_filled");

    @Override
    public String summary() {
        return "give the existing rows of " + SQL.quote(table) + " values of " + SQL.quote(sequence) + " in " + SQL.quote(column);
    }

    @Override
    public Optional<QualifiedName> tableWorkedOn() {
        return Optional.of(table);
    }

    @Override
    public List<LockClaim> locks() {
        return List.of(Locks.on(LockLevel.ROW_EXCLUSIVE, table));
    }

    @Override
    public List<String> plannedSql() {
        return List.of("-- in batches of pages, each its own transaction, then sweeps until no row is left NULL:", walkSql(), sweepSql());
    }

    @Override
    public Batch runBatch(Connection connection, Optional<String> after, int size) throws SQLException {
        if (after.filter(SWEEP::equals).isPresent()) {
            try (PreparedStatement statement = connection.prepareStatement(sweepSql())) {
                statement.setInt(1, size);
                long filled = count(statement);
                return new Batch(Optional.of(SWEEP), filled, filled == 0);
            }
        }
        long page = after.map(p -> Long.parseLong(p.substring("page:".length()))).orElse(0L);
        long[] shape = pagesAndRowsPerPage(connection);
        long pages = Math.max(1, size / shape[1]);
        long filled;
        try (PreparedStatement statement = connection.prepareStatement(walkSql())) {
            statement.setString(1, "(" + page + ",0)");
            statement.setString(2, "(" + (page + pages) + ",0)");
            filled = count(statement);
        }
        long next = page + pages;
        return new Batch(Optional.of(next >= shape[0] ? SWEEP : "page:" + next), filled, false);
    }

    @Override
    public long estimatedRows(Connection connection) throws SQLException {
        return TableStatistics.estimatedRows(connection, table);
    }

    private SqlExpr nextValue() {
        return SqlExpr.of(SQL.format("nextval(CAST({} AS regclass))", Literal.of(SQL.quote(sequence))));
    }

    private String walkSql() {
        return SQL.format("WITH {} AS (UPDATE {} SET {} = {} WHERE ctid >= CAST(? AS tid) AND ctid < CAST(? AS tid) AND {} IS NULL "
                + "RETURNING 1) SELECT count(*) FROM {}", FILLED, table, column, nextValue(), column, FILLED);
    }

    private String sweepSql() {
        return SQL.format("WITH {} AS (UPDATE {} SET {} = {} WHERE ctid = ANY (ARRAY(SELECT ctid FROM {} WHERE {} IS NULL LIMIT ?)) "
                + "AND {} IS NULL RETURNING 1) SELECT count(*) FROM {}", FILLED, table, column, nextValue(), table, column, column, FILLED);
    }

    private static long count(PreparedStatement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The table's current number of pages, and its rows per page from the planner's statistics (at least 1). */
    private long[] pagesAndRowsPerPage(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_relation_size(c.oid) / current_setting('block_size')::bigint, "
                + "CASE WHEN c.relpages > 0 THEN ceil(greatest(c.reltuples, 0) / c.relpages)::bigint ELSE 100 END "
                + "FROM pg_class c WHERE c.oid = to_regclass(?)")) {
            statement.setString(1, SQL.quote(table));
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), Math.max(1, rs.getLong(2))};
            }
        }
    }
}
