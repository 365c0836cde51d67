package dev.accordion.bench.traffic;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.sql.Identifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.OptionalLong;

/**
 * The three scenarios the product was founded on, over one seed schema: users(id, name, email, address_street,
 * address_city, address_postal_code) and products(id, name, price in integer cents). Each client mixes inserts,
 * updates and deletes of its own rows with reads of any row, one autocommit statement at a time. The scenarios touch
 * different columns, so they run one after another on one database (as {@code accordion demo} does) or alone.
 */
public final class SeedScenarios {

    /** The seed schema, as the first migration. */
    public static final String SEED_NAME = "01_seed";
    public static final String SEED_YAML = """
            operations:
              - create_table:
                  name: users
                  columns:
                    - {name: id, type: serial, pk: true}
                    - {name: name, type: text, nullable: true}
                    - {name: email, type: text, nullable: true}
                    - {name: address_street, type: text, nullable: true}
                    - {name: address_city, type: text, nullable: true}
                    - {name: address_postal_code, type: text, nullable: true}
              - create_table:
                  name: products
                  columns:
                    - {name: id, type: serial, pk: true}
                    - {name: name, type: text}
                    - {name: price, type: integer}
            """;

    public static final Scenario RENAME = new Scenario("rename users.name to full_name", "02_rename", """
            operations:
              - rename_column: {table: users, from: name, to: full_name}
            """, nameClient("name"), nameClient("full_name"), (oldSchema, newSchema) -> SQL.format("""
            SELECT count(*) FROM {}.users o FULL JOIN {}.users n ON n.id = o.id
            WHERE (o.id, o.name, o.email) IS DISTINCT FROM (n.id, n.full_name, n.email)""",
            Identifier.of(oldSchema), Identifier.of(newSchema)));

    public static final Scenario SPLIT = new Scenario("split the address columns of users into addresses", "03_split_addresses", """
            operations:
              - split_table:
                  table: users
                  into: addresses
                  key: user_id
                  columns:
                    address_street: street
                    address_city: city
                    address_postal_code: postal_code
            """, SeedScenarios::inlineAddressClient, SeedScenarios::addressTableClient, (oldSchema, newSchema) -> SQL.format("""
            SELECT count(*) FROM {}.users o FULL JOIN (SELECT u.id, a.street, a.city, a.postal_code
                                                      FROM {}.users u LEFT JOIN {}.addresses a ON a.user_id = u.id) n ON n.id = o.id
            WHERE (o.id, o.address_street, o.address_city, o.address_postal_code) IS DISTINCT FROM (n.id, n.street, n.city, n.postal_code)""",
            Identifier.of(oldSchema), Identifier.of(newSchema), Identifier.of(newSchema)));

    public static final Scenario PRICE = new Scenario("products.price from integer cents to numeric dollars", "04_price_in_dollars", """
            operations:
              - alter_column:
                  table: products
                  column: price
                  type: numeric(10,2)
                  up: price / 100.0
                  down: (price * 100)::integer
            """, SeedScenarios::centsClient, SeedScenarios::dollarsClient, (oldSchema, newSchema) -> SQL.format("""
            SELECT count(*) FROM {}.products o FULL JOIN {}.products n ON n.id = o.id
            WHERE (o.id, o.name, o.price) IS DISTINCT FROM (n.id, n.name, (n.price * 100)::integer)""",
            Identifier.of(oldSchema), Identifier.of(newSchema)));

    public static final List<Scenario> ALL = List.of(RENAME, SPLIT, PRICE);

    private SeedScenarios() {
    }

    /** Fills the seed tables (on the connection's search_path) with {@code rows} users and {@code rows} products. */
    public static void load(Connection connection, int rows) throws SQLException {
        try (PreparedStatement users = connection.prepareStatement("""
                INSERT INTO users (name, email, address_street, address_city, address_postal_code)
                SELECT 'user ' || i, 'user' || i || '@example.com', i || ' Main Street', 'City ' || (i % 100), lpad((i % 99999)::text, 5, '0')
                FROM generate_series(1, ?) AS i""");
             PreparedStatement products = connection.prepareStatement("""
                INSERT INTO products (name, price) SELECT 'product ' || i, 100 + i % 10000 FROM generate_series(1, ?) AS i""")) {
            users.setInt(1, rows);
            users.executeUpdate();
            products.setInt(1, rows);
            products.executeUpdate();
        }
    }

    /** Reads and writes users' name under the name its version gives the column. */
    private static ClientScript nameClient(String column) {
        Identifier name = Identifier.of(column);
        return (connection, state) -> {
            int dice = state.random().nextInt(10);
            OptionalLong own = state.anyOwnKey();
            if (dice < 3 || own.isEmpty()) {
                state.remember(insert(connection, SQL.format("INSERT INTO users ({}, email) VALUES (?, ?) RETURNING id", name),
                        "client " + state.statements(), "c" + state.statements() + "@example.com"));
            } else if (dice < 6) {
                update(connection, SQL.format("UPDATE users SET {} = ? WHERE id = ?", name), "renamed " + state.statements(), own.getAsLong());
            } else if (dice < 9) {
                read(connection, SQL.format("SELECT {}, email FROM users WHERE id = ?", name), 1 + state.random().nextInt(1000));
            } else {
                update(connection, "DELETE FROM users WHERE id = ?", own.getAsLong());
                state.forget(own.getAsLong());
            }
        };
    }

    /** The old version: the address is three columns of users. */
    private static void inlineAddressClient(Connection connection, ClientState state) throws SQLException {
        int dice = state.random().nextInt(10);
        OptionalLong own = state.anyOwnKey();
        if (dice < 3 || own.isEmpty()) {
            state.remember(insert(connection, "INSERT INTO users (address_street, address_city, address_postal_code) VALUES (?, ?, ?) "
                    + "RETURNING id", state.statements() + " Old Road", "Oldtown", "10000"));
        } else if (dice < 6) {
            update(connection, "UPDATE users SET address_city = ? WHERE id = ?", "Moved " + state.statements(), own.getAsLong());
        } else if (dice < 9) {
            read(connection, "SELECT address_street, address_city FROM users WHERE id = ?", 1 + state.random().nextInt(1000));
        } else {
            update(connection, "DELETE FROM users WHERE id = ?", own.getAsLong());
            state.forget(own.getAsLong());
        }
    }

    /** The new version: the address is a row of addresses, written with an upsert. */
    private static void addressTableClient(Connection connection, ClientState state) throws SQLException {
        int dice = state.random().nextInt(10);
        OptionalLong own = state.anyOwnKey();
        if (dice < 2 || own.isEmpty()) {
            // email only: the rename scenario, which may have run before, renames name
            state.remember(insert(connection, "INSERT INTO users (email) VALUES (?) RETURNING id", "new" + state.statements() + "@example.com"));
        } else if (dice < 6) {
            update(connection, """
                    INSERT INTO addresses (user_id, street, city, postal_code) VALUES (?, ?, ?, ?)
                    ON CONFLICT (user_id) DO UPDATE SET street = EXCLUDED.street, city = EXCLUDED.city""",
                    own.getAsLong(), state.statements() + " New Avenue", "Newtown " + state.statements(), "20000");
        } else if (dice < 9) {
            read(connection, "SELECT u.email, a.city FROM users u LEFT JOIN addresses a ON a.user_id = u.id WHERE u.id = ?",
                    1 + state.random().nextInt(1000));
        } else {
            update(connection, "DELETE FROM users WHERE id = ?", own.getAsLong());
            state.forget(own.getAsLong());
        }
    }

    /** The old version: prices in integer cents. */
    private static void centsClient(Connection connection, ClientState state) throws SQLException {
        int dice = state.random().nextInt(10);
        OptionalLong own = state.anyOwnKey();
        if (dice < 3 || own.isEmpty()) {
            state.remember(insert(connection, "INSERT INTO products (name, price) VALUES (?, ?) RETURNING id",
                    "cents " + state.statements(), 100 + state.random().nextInt(10000)));
        } else if (dice < 6) {
            update(connection, "UPDATE products SET price = price + 1 WHERE id = ?", own.getAsLong());
        } else if (dice < 9) {
            read(connection, "SELECT name, price FROM products WHERE id = ?", 1 + state.random().nextInt(1000));
        } else {
            update(connection, "DELETE FROM products WHERE id = ?", own.getAsLong());
            state.forget(own.getAsLong());
        }
    }

    /** The new version: prices in numeric dollars. */
    private static void dollarsClient(Connection connection, ClientState state) throws SQLException {
        int dice = state.random().nextInt(10);
        OptionalLong own = state.anyOwnKey();
        if (dice < 3 || own.isEmpty()) {
            state.remember(insert(connection, "INSERT INTO products (name, price) VALUES (?, ?) RETURNING id",
                    "dollars " + state.statements(), new java.math.BigDecimal(state.random().nextInt(10000)).movePointLeft(2)));
        } else if (dice < 6) {
            update(connection, "UPDATE products SET price = price + 0.01 WHERE id = ?", own.getAsLong());
        } else if (dice < 9) {
            read(connection, "SELECT name, price FROM products WHERE id = ?", 1 + state.random().nextInt(1000));
        } else {
            update(connection, "DELETE FROM products WHERE id = ?", own.getAsLong());
            state.forget(own.getAsLong());
        }
    }

    private static long insert(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters); ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters)) {
            statement.executeUpdate();
        }
    }

    private static void read(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                rs.getObject(1);
            }
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }
}
