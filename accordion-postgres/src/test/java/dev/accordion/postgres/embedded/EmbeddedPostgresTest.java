package dev.accordion.postgres.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Always the embedded server, whatever ACCORDION_TEST_PG_URL says: this tests the launcher itself. */
class EmbeddedPostgresTest {

    private static EmbeddedPostgres server;

    @BeforeAll
    static void startServer() throws IOException {
        server = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void answersQueriesAsPostgreSql17_5() throws SQLException {
        assertThat(firstRow(server.jdbcUrl("postgres"), "select version()").get(0))
                .startsWith("PostgreSQL 17.5");
        assertThat(server.version()).isEqualTo("17.5");
    }

    @Test
    void jdbcUrlNamesLoopbackPortDatabaseAndUser() {
        assertThat(server.jdbcUrl("demo"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:" + server.port() + "/demo?user=postgres");
    }

    @Test
    void runsWithTestServerSettings() throws SQLException {
        assertThat(firstRow(server.jdbcUrl("postgres"), "select current_setting('fsync'),"
                + " current_setting('synchronous_commit'), current_setting('full_page_writes'),"
                + " current_setting('max_connections'), current_setting('listen_addresses'),"
                + " current_setting('unix_socket_directories'), current_setting('server_encoding'),"
                + " (select datcollate from pg_database where datname = current_database()), current_user"))
                .containsExactly("off", "off", "off", "200", "127.0.0.1", "", "UTF8", "C", "postgres");
    }

    @Test
    void runsTheServerAsNobodyWhenTheJvmIsRoot() throws IOException {
        String expectedOwner = new UnixSystem().getUid() == 0 ? "nobody" : System.getProperty("user.name");
        assertThat(Files.getOwner(server.instanceDirectory().resolve("data")).getName()).isEqualTo(expectedOwner);
    }

    @Test
    void writesTheServerLogToAFileNextToTheDataDirectory() throws IOException {
        assertThat(Files.readString(server.instanceDirectory().resolve("postgres.log")))
                .contains("database system is ready to accept connections");
    }

    @Test
    void unpacksExecutablesAndSymbolicLinksOnce() throws IOException {
        Path installation = PostgresBinaries.installation();
        assertThat(installation.getFileName().toString()).matches("accordion-pg-[0-9a-f]{16}");
        assertThat(installation.resolve("bin/postgres")).isExecutable();
        assertThat(Files.isSymbolicLink(installation.resolve("lib/libpq.so"))).isTrue();
        assertThat(installation.resolve("lib/libpq.so")).exists(); // the link resolves
        assertThat(PostgresBinaries.installation()).isEqualTo(installation);
    }

    @Test
    void closeStopsTheServerDespiteOpenConnectionsAndDeletesItsDirectory() throws Exception {
        EmbeddedPostgres closing = EmbeddedPostgres.start();
        int port = closing.port();
        Path directory = closing.instanceDirectory();
        try (Connection leftOpen = DriverManager.getConnection(closing.jdbcUrl("postgres"))) {
            closing.close();

            assertThat(leftOpen.isValid(2)).isFalse();
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        assertThat(directory).doesNotExist();
        closing.close(); // a second close is harmless
    }

    @Test
    void twoServersInOneJvmAreIndependent() throws Exception {
        try (EmbeddedPostgres second = EmbeddedPostgres.start()) {
            assertThat(second.port()).isNotEqualTo(server.port());
            assertThat(second.instanceDirectory()).isNotEqualTo(server.instanceDirectory());
            execute(second.jdbcUrl("postgres"), "create table only_on_second (id int)");

            assertThat(firstRow(second.jdbcUrl("postgres"), "select to_regclass('only_on_second')::text"))
                    .containsExactly("only_on_second");
            assertThat(firstRow(server.jdbcUrl("postgres"), "select to_regclass('only_on_second')::text"))
                    .containsExactly((String) null);
        }
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The columns of the first row, as text. */
    private static List<String> firstRow(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            assertThat(row.next()).as("a row from %s", sql).isTrue();
            List<String> columns = new ArrayList<>();
            for (int column = 1; column <= row.getMetaData().getColumnCount(); column++) {
                columns.add(row.getString(column));
            }
            return columns;
        }
    }
}
