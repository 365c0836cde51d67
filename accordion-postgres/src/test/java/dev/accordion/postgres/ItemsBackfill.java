package dev.accordion.postgres;

import dev.accordion.plan.BatchedStep;
import dev.accordion.plan.LockClaim;
import dev.accordion.plan.LockLevel;
import dev.accordion.plan.StepId;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.QualifiedName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Walks {@code items} by primary key, adding one to {@code visits} of each row it visits; shared by the executor tests. */
final class ItemsBackfill implements BatchedStep {

    static final StepId STEP = new StepId("start/backfill/items");

    final List<Optional<String>> afters = new CopyOnWriteArrayList<>();
    final List<Integer> sizes = new CopyOnWriteArrayList<>();
    private int failOnCall;

    /** Throws after the {@code call}-th batch's UPDATE ran, as a crash in the middle of a batch. */
    ItemsBackfill failingOnCall(int call) {
        this.failOnCall = call;
        return this;
    }

    @Override
    public Batch runBatch(Connection connection, Optional<String> after, int size) throws SQLException {
        afters.add(after);
        sizes.add(size);
        long from = after.map(Long::parseLong).orElse(0L);
        try (PreparedStatement statement = connection.prepareStatement("""
                WITH visited AS (
                  UPDATE items SET visits = visits + 1
                  WHERE id > ? AND id <= (SELECT max(id) FROM (SELECT id FROM items WHERE id > ? ORDER BY id LIMIT ?) s)
                  RETURNING id)
                SELECT count(*), max(id) FROM visited""")) {
            statement.setLong(1, from);
            statement.setLong(2, from);
            statement.setInt(3, size);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                long visited = rs.getLong(1);
                Optional<String> position = visited == 0 ? Optional.empty() : Optional.of(Long.toString(rs.getLong(2)));
                if (afters.size() == failOnCall) {
                    throw new IllegalStateException("killed in batch " + failOnCall);
                }
                return new Batch(position, visited, visited < size);
            }
        }
    }

    @Override
    public long estimatedRows(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT reltuples::bigint FROM pg_class WHERE oid = 'items'::regclass")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public Optional<QualifiedName> tableWorkedOn() {
        return Optional.of(new QualifiedName(Identifier.of("public"), Identifier.of("items")));
    }

    @Override
    public StepId id() {
        return STEP;
    }

    @Override
    public String summary() {
        return "count the visits of every row of items";
    }

    @Override
    public List<LockClaim> locks() {
        return List.of(new LockClaim(LockLevel.ROW_EXCLUSIVE, "\"public\".\"items\""));
    }

    @Override
    public List<String> plannedSql() {
        return List.of("UPDATE items SET visits = visits + 1 WHERE id > $after AND id <= $last_of_batch");
    }
}
