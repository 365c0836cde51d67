package dev.accordion.bench.traffic;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.sql.Identifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * A client of one table keyed by {@code id}, as one version names it: it inserts rows with a value for each of its
 * columns, updates one column of one of its own rows, reads any row and deletes its own, one autocommit statement at a
 * time. Values come from a generator per column, so a test says only which columns a version sees and what it writes.
 */
public final class RowClient implements ClientScript {

    private final Identifier table;
    private final Map<Identifier, Function<ClientState, Object>> columns;

    private RowClient(Identifier table, Map<Identifier, Function<ClientState, Object>> columns) {
        this.table = table;
        this.columns = columns;
    }

    /** A client of {@code table}; add its columns with {@link #column}. */
    public static RowClient of(String table) {
        return new RowClient(Identifier.of(table), Map.of());
    }

    /** This client, also writing {@code column} with values from {@code values}. */
    public RowClient column(String column, Function<ClientState, Object> values) {
        Map<Identifier, Function<ClientState, Object>> more = new LinkedHashMap<>(columns);
        more.put(Identifier.of(column), values);
        return new RowClient(table, more);
    }

    @Override
    public void next(Connection connection, ClientState state) throws SQLException {
        int dice = state.random().nextInt(10);
        OptionalLong own = state.anyOwnKey();
        List<Identifier> names = new ArrayList<>(columns.keySet());
        if (dice < 3 || own.isEmpty()) {
            String placeholders = String.join(", ", names.stream().map(n -> "?").toList());
            try (PreparedStatement insert = connection.prepareStatement(SQL.format("INSERT INTO {} ({}) VALUES (", table, names)
                    + placeholders + ") RETURNING id")) {
                for (int i = 0; i < names.size(); i++) {
                    insert.setObject(i + 1, columns.get(names.get(i)).apply(state));
                }
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    state.remember(rs.getLong(1));
                }
            }
        } else if (dice < 6) {
            Identifier column = names.get(state.random().nextInt(names.size()));
            try (PreparedStatement update = connection.prepareStatement(SQL.format("UPDATE {} SET {} = ? WHERE id = ?", table, column))) {
                update.setObject(1, columns.get(column).apply(state));
                update.setLong(2, own.getAsLong());
                update.executeUpdate();
            }
        } else if (dice < 9) {
            try (PreparedStatement read = connection.prepareStatement(SQL.format("SELECT {} FROM {} WHERE id = ?", names, table))) {
                read.setLong(1, 1 + state.random().nextInt(1000));
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        rs.getObject(1);
                    }
                }
            }
        } else {
            try (PreparedStatement delete = connection.prepareStatement(SQL.format("DELETE FROM {} WHERE id = ?", table))) {
                delete.setLong(1, own.getAsLong());
                delete.executeUpdate();
            }
            state.forget(own.getAsLong());
        }
    }
}
