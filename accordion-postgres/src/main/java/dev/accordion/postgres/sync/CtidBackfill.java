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
import dev.accordion.sql.SqlBuilder.Fragment;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * The backfill of a table with neither a primary key nor a unique NOT NULL index: it walks the table's pages by TID
 * range (a TID range scan, PostgreSQL 14+), a few pages per batch. A client's update can move a row the walk has not
 * reached yet to a page it has passed, so the walk marks the rows it fills as synced and ends with sweeps that fill
 * whatever is still unmarked, until a sweep finds nothing; each row a sweep fills stays marked, so the sweeps end.
 * The position is {@code page:<next page>} while walking and {@code sweep} after.
 */
public record CtidBackfill(StepId id, QualifiedName table, List<SyncRule> rules) implements BatchedStep {

    @Override
    public Optional<QualifiedName> tableWorkedOn() {
        return Optional.of(table);
    }

    private static final String SWEEP = "sweep";
    private static final Identifier UPDATED = Identifier.of("_acc_updated");

    public CtidBackfill {
        rules = List.copyOf(rules);
    }

    @Override
    public String summary() {
        return "backfill " + SQL.quote(table) + " by page (no key): " + String.join(", ", rules.stream().map(r -> SQL.quote(r.target())).toList());
    }

    @Override
    public List<LockClaim> locks() {
        return List.of(Locks.on(LockLevel.ROW_EXCLUSIVE, table));
    }

    @Override
    public List<String> plannedSql() {
        return List.of("-- in batches of pages, each its own transaction, then sweeps until no row is left unsynced:",
                walkSql(), sweepSql());
    }

    @Override
    public Batch runBatch(Connection connection, Optional<String> after, int size) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(SQL.format("SELECT set_config({}, 'on', true)", Literal.of(SyncTrigger.BACKFILL_SETTING)));
        }
        if (after.filter(SWEEP::equals).isPresent()) {
            long filled = update(connection, sweepSql(), size);
            return new Batch(Optional.of(SWEEP), filled, filled == 0);
        }
        long page = after.map(p -> Long.parseLong(p.substring("page:".length()))).orElse(0L);
        long[] shape = pagesAndRowsPerPage(connection);
        long pages = Math.max(1, size / Math.max(1, shape[1]));
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

    private String walkSql() {
        return SQL.format("WITH {} AS (UPDATE {} SET {}, {} = true WHERE ctid >= CAST(? AS tid) AND ctid < CAST(? AS tid) "
                        + "AND {} IS NULL RETURNING 1) SELECT count(*) FROM {}",
                UPDATED, table, assignments(), SyncTrigger.SYNCED_FLAG, SyncTrigger.SYNCED_FLAG, UPDATED);
    }

    private String sweepSql() {
        return SQL.format("WITH {} AS (UPDATE {} SET {}, {} = true WHERE ctid = ANY (ARRAY(SELECT ctid FROM {} WHERE {} IS NULL "
                        + "LIMIT ?)) AND {} IS NULL RETURNING 1) SELECT count(*) FROM {}",
                UPDATED, table, assignments(), SyncTrigger.SYNCED_FLAG, table, SyncTrigger.SYNCED_FLAG, SyncTrigger.SYNCED_FLAG, UPDATED);
    }

    private List<Fragment> assignments() {
        return rules.stream().map(r -> SQL.fragment("{} = ({})", r.target(), r.expression())).toList();
    }

    private static long update(Connection connection, String sql, int size) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setInt(1, size);
            return count(statement);
        }
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
