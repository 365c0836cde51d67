package dev.accordion.postgres.sync;

import static dev.accordion.postgres.PostgresSql.SQL;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accordion.plan.SplittableStep;
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
 * trigger's WHEN condition checks, so no trigger function runs for backfilled rows, and marks its rows synced too, so
 * that a batch run again (a split batch whose checkpoint did not commit) leaves them alone. Under concurrent writes,
 * PostgreSQL re-checks the synced flag on the row's newest version before updating it.
 *
 * @param key the physical key columns and their types, in key order
 * @param rules the columns to fill, each with its {@code up} expression over the old version's names (which are
 *              the physical ones), so the UPDATE evaluates it directly against the table's row
 */
public record Backfill(StepId id, QualifiedName table, List<KeyColumn> key, List<SyncRule> rules) implements SplittableStep {

    @Override
    public Optional<QualifiedName> tableWorkedOn() {
        return Optional.of(table);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

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
        return List.of("-- in batches, each its own transaction, until no row is left: the batch's last key,",
                lastKeySql(true),
                "-- then the rows up to it (the first batch has no lower bound; the last, when no key is that far, no upper one)",
                updateSql(true, true));
    }

    /**
     * One batch in two statements: the key {@code size} rows on, read from the index alone, then one UPDATE of the key
     * range up to it. Bounds given as parameters let the planner see the range; an UPDATE that found its upper bound in
     * a sub-select over the batch's keys (materialized and sorted) cost a tenth more per row.
     */
    @Override
    public Batch runBatch(Connection connection, Optional<String> after, int size) throws SQLException {
        Cut whole = cut(connection, after, size, 1);
        Piece range = whole.pieces().get(0);
        update(connection, range.after(), range.upTo());
        return whole.batch();
    }

    @Override
    public SplitBatch splitBatch(Connection connection, Optional<String> after, int size, int pieces) throws SQLException {
        Cut cut = cut(connection, after, size, pieces);
        return new SplitBatch(cut.pieces().stream().map(Backfill::encode).toList(), cut.batch());
    }

    @Override
    public void runPiece(Connection connection, String piece) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(batchSettings());
        }
        Piece range = read(piece, new TypeReference<Piece>() { });
        update(connection, range.after(), range.upTo());
    }

    /** A key range of a batch: the keys after {@code after} (all, when empty) up to {@code upTo} (no bound, when empty). */
    private record Piece(List<String> after, List<String> upTo) {
    }

    /** A batch cut into key ranges, and what the whole batch does. */
    private record Cut(List<Piece> pieces, Batch batch) {
    }

    /**
     * Sets the batch's settings and cuts the batch of at most {@code size} rows after {@code after} into at most
     * {@code pieces} key ranges of about equal size, each ending at the key found by {@link #lastKey}; when fewer rows are
     * left than a range asks for, the last range has no upper bound and the batch is the last one.
     */
    private Cut cut(Connection connection, Optional<String> after, int size, int pieces) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(batchSettings());
        }
        int perPiece = Math.max(1, (size + pieces - 1) / pieces);
        List<String> lower = after.map(Backfill::decode).orElse(List.of());
        List<Piece> cut = new ArrayList<>();
        long rows = 0;
        while (rows < size && cut.size() < pieces) {
            int rowsInPiece = (int) Math.min(perPiece, size - rows);
            Optional<List<String>> upper = lastKey(connection, lower, rowsInPiece);
            if (upper.isEmpty()) {
                cut.add(new Piece(lower, List.of()));
                rows += rowsAfter(connection, lower);
                return new Cut(cut, Batch.last(lower.isEmpty() ? after : Optional.of(encode(lower)), rows));
            }
            cut.add(new Piece(lower, upper.get()));
            rows += rowsInPiece;
            lower = upper.get();
        }
        return new Cut(cut, new Batch(Optional.of(encode(lower)), rows, false));
    }

    /** The key of the {@code size}-th row after {@code from}; empty when fewer rows are left. */
    private Optional<List<String>> lastKey(Connection connection, List<String> from, int size) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(lastKeySql(!from.isEmpty()))) {
            int parameter = bind(statement, 1, from);
            statement.setInt(parameter, size - 1);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                List<String> key = new ArrayList<>();
                for (int i = 1; i <= this.key.size(); i++) {
                    key.add(rs.getString(i));
                }
                return Optional.of(key);
            }
        }
    }

    private long rowsAfter(Connection connection, List<String> from) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SQL.format("SELECT count(*) FROM {}", table)
                + (from.isEmpty() ? "" : " WHERE " + after()))) {
            bind(statement, 1, from);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void update(Connection connection, List<String> from, List<String> upTo) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(updateSql(!from.isEmpty(), !upTo.isEmpty()))) {
            bind(statement, bind(statement, 1, from), upTo);
            statement.executeUpdate();
        }
    }

    private static int bind(PreparedStatement statement, int first, List<String> values) throws SQLException {
        int parameter = first;
        for (String value : values) {
            statement.setString(parameter++, value);
        }
        return parameter;
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

    /** The key, as text, of the row {@code ?} rows after the first one after the position (the batch's last row). */
    String lastKeySql(boolean bounded) {
        // Named apart from the key columns, so that ORDER BY sorts the keys themselves, not these text outputs.
        List<Fragment> keyText = IntStream.range(0, key.size())
                .mapToObj(i -> SQL.fragment("{}::text AS {}", columns().get(i), Identifier.of("_acc_k" + (i + 1)))).toList();
        return SQL.format("SELECT {} FROM {}", keyText, table) + (bounded ? " WHERE " + after() : "")
                + SQL.format(" ORDER BY {} OFFSET ? LIMIT 1", columns());
    }

    /** The batch's UPDATE: the rules over the key range, leaving the rows the trigger marked synced. */
    String updateSql(boolean lowerBound, boolean upperBound) {
        List<Fragment> assignments = new ArrayList<>(
                rules.stream().map(r -> SQL.fragment("{} = ({})", r.target(), r.expression())).toList());
        assignments.add(SQL.fragment("{} = true", SyncTrigger.SYNCED_FLAG));
        List<String> conditions = new ArrayList<>();
        if (lowerBound) {
            conditions.add(after());
        }
        if (upperBound) {
            conditions.add(SQL.format("({}) <= ({})", columns(), keyParameters()));
        }
        conditions.add(SQL.format("{} IS NULL", SyncTrigger.SYNCED_FLAG));
        return SQL.format("UPDATE {} SET {} WHERE ", table, assignments) + String.join(" AND ", conditions);
    }

    /** Keys after the position: a row comparison, which a btree index on the key serves as a range. */
    private String after() {
        return SQL.format("({}) > ({})", columns(), keyParameters());
    }

    private List<Identifier> columns() {
        return key.stream().map(KeyColumn::name).toList();
    }

    private List<Fragment> keyParameters() {
        return key.stream().map(k -> SQL.fragment("CAST(? AS {})", k.type())).toList();
    }

    private static String encode(Object position) {
        try {
            return JSON.writeValueAsString(position);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> decode(String position) {
        return read(position, new TypeReference<List<String>>() { });
    }

    private static <T> T read(String position, TypeReference<T> type) {
        try {
            return JSON.readValue(position, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable backfill position " + position, e);
        }
    }
}
