package dev.accordion;

import dev.accordion.spi.ConnectionSource;
import java.sql.Connection;
import java.sql.SQLException;

/** Opening and closing connections with errors that say what to check. */
final class Connections {

    private Connections() {
    }

    static Connection open(ConnectionSource source) {
        try {
            return source.open();
        } catch (SQLException e) {
            throw new AccordionException(ErrorCode.CONNECTION, "cannot connect to the database: " + e.getMessage().strip()
                    + "\nCheck that the server is running and that the connection settings name the right host, port, database and user.",
                    Hint.CONNECTION_SETTINGS, e);
        }
    }

    static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // nothing useful can be done about a connection that fails to close
        }
    }
}
