package dev.accordion.postgres.sync;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.plan.BatchedStep;
import dev.accordion.plan.LockClaim;
import dev.accordion.plan.LockLevel;
import dev.accordion.plan.StepId;
import dev.accordion.postgres.Locks;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.QualifiedName;
import dev.accordion.sql.SqlBuilder.Fragment;
import dev.accordion.sql.SqlExpr;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Copies the moved columns of the rows that existed before the split triggers into the split table, in batches
 * that walk the source's primary key (keyset pagination). One statement per batch: the next {@code size} keys, the
 * rows among them with a non-null moved column, locked FOR SHARE, and an INSERT of those rows that leaves alone every
 * row a trigger has already written (ON CONFLICT DO NOTHING: a client's write is newer than what the batch read).
 *
 * <p>The lock matters under concurrent writes: FOR SHARE waits for a client's uncommitted UPDATE of the row and then
 * reads its newest version (re-checking the non-null condition), and keeps the row from changing until the batch
 * commits, so a row a client emptied in the meantime is not copied back. The batch's position is the range of keys
 * it selected, not the rows it copied, so rows deleted meanwhile never end the walk early. The batch sets the backfill
 * setting, so the split table's trigger does not write its rows back into the source.
 */
public record SplitBackfill(StepId id, QualifiedName source, Identifier sourceKey, SqlExpr keyType, QualifiedName into,
                           Identifier intoKey, List<SplitSync.Moved> moved) implements BatchedStep {

    @Override
    public Optional<QualifiedName> tableWorkedOn() {
        return Optional.of(source);
    }

    private static final Identifier BATCH = Identifier.of("_acc_batch");
    private static final Identifier ROWS = Identifier.of("_acc_rows");
    private static final Identifier COPIED = Identifier.of("_acc_copied");
    private static final Identifier ROW = Identifier.of("_acc_row");
    private static final Identifier KEY = Identifier.of("_acc_k1");

    public SplitBackfill {
        moved = List.copyOf(moved);
    }

    @Override
    public String summary() {
        return "backfill " + SQL.quote(into) + " from " + SQL.quote(source);
    }

    /** Row locks only: ROW SHARE on the source (FOR SHARE), ROW EXCLUSIVE on the split table. */
    @Override
    public List<LockClaim> locks() {
        return List.of(Locks.on(LockLevel.ROW_SHARE, source), Locks.on(LockLevel.ROW_EXCLUSIVE, into));
    }

    @Override
    public List<String> plannedSql() {
        return List.of("-- in batches, each its own transaction, until no row is left:", batchSql(true) + "\n-- the first batch has no lower bound");
    }

    @Override
    public Batch runBatch(Connection connection, Optional<String> after, int size) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(Backfill.batchSettings()); // the same session settings and plan choices as the column backfill
        }
        try (PreparedStatement statement = connection.prepareStatement(batchSql(after.isPresent()))) {
            int parameter = 1;
            if (after.isPresent()) {
                statement.setString(parameter++, after.get());
            }
            statement.setInt(parameter, size);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Batch.last(after, 0);
                }
                long visited = rs.getLong(1);
                return new Batch(Optional.of(rs.getString(2)), visited, visited < size);
            }
        }
    }

    @Override
    public long estimatedRows(Connection connection) throws SQLException {
        return TableStatistics.estimatedRows(connection, source);
    }

    /** The last key is ordered by its own type, not as the text it is returned as (a bare name would mean the output column). */
    private String batchSql(boolean bounded) {
        Fragment lowerBound = bounded ? SQL.fragment(" WHERE {} > CAST(? AS {})", sourceKey, keyType) : SQL.fragment("");
        List<Fragment> selected = moved.stream().map(m -> SQL.fragment("{}.{}", ROW, m.source())).toList();
        Fragment anyMovedSet = new Fragment(moved.stream().map(m -> SQL.format("{}.{} IS NOT NULL", ROW, m.source()))
                .collect(Collectors.joining(" OR ")));
        return SQL.format("WITH {} AS (SELECT {} AS {} FROM {}{} ORDER BY {} LIMIT ?), "
                        + "{} AS (SELECT {}.{}, {} FROM {} AS {} WHERE {}.{} IN (SELECT {} FROM {}) AND ({}) FOR SHARE OF {}), "
                        + "{} AS (INSERT INTO {} ({}, {}) SELECT * FROM {} ON CONFLICT ({}) DO NOTHING RETURNING 1) "
                        + "SELECT count(*) OVER (), {}::text FROM {} ORDER BY {}.{} DESC LIMIT 1",
                BATCH, sourceKey, KEY, source, lowerBound, sourceKey,
                ROWS, ROW, sourceKey, selected, source, ROW, ROW, sourceKey, KEY, BATCH, anyMovedSet, ROW,
                COPIED, into, intoKey, moved.stream().map(SplitSync.Moved::target).toList(), ROWS, intoKey,
                KEY, BATCH, BATCH, KEY);
    }
}
