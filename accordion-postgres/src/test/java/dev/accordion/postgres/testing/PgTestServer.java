package dev.accordion.postgres.testing;

import dev.accordion.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL server that tests run against. {@code ACCORDION_TEST_PG_URL} picks an existing server (for example
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}, to test another major version); without it, an
 * {@link EmbeddedPostgres} is started on first use and shared by every test in the JVM until the JVM exits.
 */
public final class PgTestServer {

    static final String URL_VARIABLE = "ACCORDION_TEST_PG_URL";
    private static final String JDBC_PREFIX = "jdbc:postgresql:";

    // guarded by PgTestServer.class
    private static String adminUrl;
    private static String description;
    private static RuntimeException startFailure;

    private PgTestServer() {
    }

    /** JDBC URL of a maintenance database, connecting as a user that may create and drop databases. */
    public static synchronized String adminJdbcUrl() {
        if (adminUrl == null) {
            // A server that failed to start once fails the same way again: report that without another 30 s wait.
            if (startFailure != null) {
                throw startFailure;
            }
            String configured = System.getenv(URL_VARIABLE);
            if (configured != null && !configured.isBlank()) {
                String url = configured.strip();
                description = "PostgreSQL at " + withoutQuery(url) + " from " + URL_VARIABLE
                        + " (" + serverVersion(url) + ")"; // before adminUrl is set: fails if the server is down
                adminUrl = url;
            } else {
                EmbeddedPostgres embedded = startEmbedded();
                adminUrl = embedded.jdbcUrl("postgres");
                description = "embedded PostgreSQL " + embedded.version();
            }
        }
        return adminUrl;
    }

    /** The same server and connection settings as {@link #adminJdbcUrl()}, but another database. */
    public static String jdbcUrlFor(String database) {
        return withDatabase(adminJdbcUrl(), database);
    }

    /** Which server the tests use, for logs and failure messages, such as {@code embedded PostgreSQL 17.5}. */
    public static synchronized String describe() {
        adminJdbcUrl();
        return description;
    }

    /** Replaces the database of a pgjdbc URL and keeps host, port and query string. */
    static String withDatabase(String url, String database) {
        if (!url.startsWith(JDBC_PREFIX)) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + url);
        }
        int queryStart = url.indexOf('?') < 0 ? url.length() : url.indexOf('?');
        int pathStart = JDBC_PREFIX.length();
        if (url.startsWith("//", pathStart)) { // jdbc:postgresql://host:port/database; without "//" no host is named
            int slashAfterHosts = url.indexOf('/', pathStart + 2);
            pathStart = slashAfterHosts < 0 || slashAfterHosts > queryStart ? queryStart : slashAfterHosts + 1;
        }
        String beforeDatabase = url.substring(0, pathStart);
        if (!beforeDatabase.endsWith("/") && !beforeDatabase.equals(JDBC_PREFIX)) {
            beforeDatabase += "/"; // the URL named no database: jdbc:postgresql://host:port?user=...
        }
        return beforeDatabase + URLEncoder.encode(database, StandardCharsets.UTF_8) + url.substring(queryStart);
    }

    private static EmbeddedPostgres startEmbedded() {
        try {
            return EmbeddedPostgres.start(); // its shutdown hook stops it when the test JVM exits
        } catch (IOException | RuntimeException e) {
            startFailure = new IllegalStateException("could not start the embedded PostgreSQL for tests (set "
                    + URL_VARIABLE + " to use another server): " + e.getMessage(), e);
            throw startFailure;
        }
    }

    /** The query string may carry a password; it has no place in test logs. */
    private static String withoutQuery(String url) {
        int queryStart = url.indexOf('?');
        return queryStart < 0 ? url : url.substring(0, queryStart);
    }

    private static String serverVersion(String url) {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SHOW server_version")) {
            row.next();
            return row.getString(1).split(" ", 2)[0];
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to " + URL_VARIABLE + " (" + withoutQuery(url) + "): "
                    + e.getMessage(), e);
        }
    }
}
