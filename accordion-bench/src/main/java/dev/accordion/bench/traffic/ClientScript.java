package dev.accordion.bench.traffic;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What one simulated client of one application version does, one statement per call: its connection's
 * {@code search_path} is that version's schema, so the script names tables and columns as that version does.
 */
@FunctionalInterface
public interface ClientScript {

    /** Runs the client's next statement; {@code state} holds the client's own rows and its random source. */
    void next(Connection connection, ClientState state) throws SQLException;
}
