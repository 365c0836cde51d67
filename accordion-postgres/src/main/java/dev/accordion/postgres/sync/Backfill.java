package dev.accordion.postgres.sync;

import static dev.accordion.postgres.PostgresSql.SQL;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accordion.plan.BatchedStep;
import dev.accordion.plan.LockClaim;
import dev.accordion.plan.LockLevel;
import dev.accordion.plan.StepId;
import dev.accordion.postgres.Locks;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.Literal;
import dev.accordion.sql.QualifiedName;
import dev.accordion.sql.SqlBuilder.Fragment;
import dev.accordion.sql.SqlExpr;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Brings the rows that existed before the sync trigger over to the new side, in batches that walk a unique key
 * (DESIGN §5, "Backfill"). Each batch computes the new values directly in one UPDATE; rows the trigger has
 * marked synced are skipped, so a value a client wrote through either version is never recomputed, and rows
 * written after the trigger was installed are never visited twice. The batch sets the session setting the
 * trigger's WHEN condition checks, so no trigger function runs for backfilled rows. Under concurrent writes,
 * PostgreSQL re-checks the synced flag on the row's newest version before updating it.
 *
 * @param key the physical key columns and their types, in key order
 * @param rules the columns to fill, each with its {@code up} expression over the old version's names (which are
 *              the physical ones), so the UPDATE evaluates it directly against the table's row
 */
public record Backfill(StepId id, QualifiedName table, List<KeyColumn> key, List<SyncRule> rules) implements BatchedStep {

    @Override
    public Optional<QualifiedName> tableWorkedOn() {
        return Optional.of(table);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Identifier BATCH = Identifier.of("_acc_batch");
    private static final Identifier UPDATED = Identifier.of("_acc_updated");
    private static final Identifier LAST = Identifier.of("_acc_last");

    /** A key column: its physical name and its SQL type (from the catalog). */
    public record KeyColumn(Identifier name, SqlExpr type) {
    }

    public Backfill {
        key = List.copyOf(key);
        rules = List.copyOf(rules);
        if (key.isEmpty()) {
            throw new IllegalArgumentException("a backfill walks a key; table " + table + " has none");
        }
    }

    @Override
    public String summary() {
        return "backfill " + SQL.quote(table) + ": " + String.join(", ", rules.stream().map(r -> SQL.quote(r.target())).toList());
    }

    /** Only row locks: a batch's UPDATE takes ROW EXCLUSIVE on the table. */
    @Override
    public List<LockClaim> locks() {
        return List.of(Locks.on(LockLevel.ROW_EXCLUSIVE, table));
    }

    @Override
    public List<String> plannedSql() {
        return List.of("-- in batches, each its own transaction, until no row is left:", batchSql(true) + "\n-- the first batch has no lower bound");
    }

    @Override
    public Batch runBatch(Connection connection, Optional<String> after, int size) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(batchSettings());
        }
        List<String> from = after.map(Backfill::decode).orElse(List.of());
        try (PreparedStatement statement = connection.prepareStatement(batchSql(after.isPresent()))) {
            int parameter = 1;
            for (String value : from) {
                statement.setString(parameter++, value);
            }
            statement.setInt(parameter++, size);
            for (String value : from) { // the UPDATE's lower bound, the same as the batch's
                statement.setString(parameter++, value);
            }
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Batch.last(after, 0);
                }
                long visited = rs.getLong(1);
                List<String> last = new ArrayList<>();
                for (int i = 0; i < key.size(); i++) {
                    last.add(rs.getString(2 + i));
                }
                return new Batch(Optional.of(encode(last)), visited, visited < size);
            }
        }
    }

    @Override
    public long estimatedRows(Connection connection) throws SQLException {
        return TableStatistics.estimatedRows(connection, table);
    }

    /**
     * The batch transaction's settings: the trigger skips its rows, and the batch joins its keys to the table by
     * index. Without the last three, PostgreSQL hash-joins the batch against a scan of the whole table, which makes
     * a backfill quadratic: the flag column is new, so it has no statistics and the planner expects 0.5% of the rows
     * to pass {@code IS NULL}; and pgjdbc prepares a statement it sees again on the server, whose generic plan knows
     * neither the lower bound nor the LIMIT.
     */
    static String batchSettings() {
        return SQL.format("SELECT set_config({}, 'on', true), set_config('plan_cache_mode', 'force_custom_plan', true), "
                + "set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)",
                Literal.of(SyncTrigger.BACKFILL_SETTING));
    }

    /**
     * One batch: the next {@code size} keys after the last position, the UPDATE of those not yet synced, and the
     * batch's size and last key (no row when nothing was left).
     */
    String batchSql(boolean bounded) {
        List<Identifier> columns = key.stream().map(KeyColumn::name).toList();
        List<Identifier> aliases = IntStream.rangeClosed(1, key.size()).mapToObj(i -> Identifier.of("_acc_k" + i)).toList();
        List<Fragment> selected = IntStream.range(0, key.size())
                .mapToObj(i -> SQL.fragment("{} AS {}", columns.get(i), aliases.get(i))).toList();
        Fragment after = SQL.fragment("({}) > ({})", columns, key.stream().map(k -> SQL.fragment("CAST(? AS {})", k.type())).toList());
        List<Fragment> assignments = rules.stream().map(r -> SQL.fragment("{} = ({})", r.target(), r.expression())).toList();
        List<Fragment> lastKey = aliases.stream().map(a -> SQL.fragment("{}::text", a)).toList();
        // Qualified, so that ORDER BY sorts the keys themselves, not the text outputs that carry the same names.
        List<Fragment> descending = aliases.stream().map(a -> SQL.fragment("{}.{} DESC", BATCH, a)).toList();
        // The UPDATE takes the batch as a key range, one index range scan, rather than joining the batch's keys
        // one lookup at a time.
        return SQL.format("WITH {} AS (SELECT {} FROM {}" + (bounded ? " WHERE {}" : "{}") + " ORDER BY {} LIMIT ?), "
                        + "{} AS (SELECT {} FROM {} ORDER BY {} LIMIT 1), "
                        + "{} AS (UPDATE {} SET {} WHERE " + (bounded ? "{} AND " : "{}") + "({}) <= (SELECT {} FROM {}) "
                        + "AND {} IS NULL RETURNING 1) "
                        + "SELECT (SELECT count(*) FROM {}), {} FROM {}",
                BATCH, selected, table, bounded ? after : SQL.fragment(""), columns,
                LAST, aliases, BATCH, descending,
                UPDATED, table, assignments, bounded ? after : SQL.fragment(""), columns, aliases, LAST, SyncTrigger.SYNCED_FLAG,
                BATCH, lastKey, LAST);
    }

    private static String encode(List<String> key) {
        try {
            return JSON.writeValueAsString(key);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> decode(String position) {
        try {
            return JSON.readValue(position, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable backfill checkpoint " + position, e);
        }
    }
}
