package dev.accordion.postgres.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PgTestServerTest {

    @Test
    void withDatabaseReplacesOnlyTheDatabase() {
        assertThat(PgTestServer.withDatabase("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres", "acc_1"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/acc_1?user=postgres");
        assertThat(PgTestServer.withDatabase("jdbc:postgresql://db.example:5433/app?user=u&password=p&ssl=true", "x"))
                .isEqualTo("jdbc:postgresql://db.example:5433/x?user=u&password=p&ssl=true");
        assertThat(PgTestServer.withDatabase("jdbc:postgresql://h1:1,h2:2/app", "x"))
                .isEqualTo("jdbc:postgresql://h1:1,h2:2/x");
    }

    @Test
    void withDatabaseAddsADatabaseToUrlsThatNameNone() {
        assertThat(PgTestServer.withDatabase("jdbc:postgresql://localhost:5432?user=postgres", "x"))
                .isEqualTo("jdbc:postgresql://localhost:5432/x?user=postgres");
        assertThat(PgTestServer.withDatabase("jdbc:postgresql://localhost/", "x"))
                .isEqualTo("jdbc:postgresql://localhost/x");
        assertThat(PgTestServer.withDatabase("jdbc:postgresql://localhost?sslrootcert=/etc/ca.pem", "x"))
                .isEqualTo("jdbc:postgresql://localhost/x?sslrootcert=/etc/ca.pem");
        assertThat(PgTestServer.withDatabase("jdbc:postgresql:app?user=u", "x"))
                .isEqualTo("jdbc:postgresql:x?user=u");
    }

    @Test
    void withDatabaseRejectsOtherDrivers() {
        assertThatThrownBy(() -> PgTestServer.withDatabase("jdbc:mysql://localhost/app", "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void adminUrlConnectsAsAUserThatMayCreateDatabases() throws Exception {
        try (Connection connection = DriverManager.getConnection(PgTestServer.adminJdbcUrl());
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "select rolsuper or rolcreatedb from pg_roles where rolname = current_user")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getBoolean(1)).isTrue();
        }
    }

    @Test
    void describeNamesTheServerInUse() {
        String configured = System.getenv(PgTestServer.URL_VARIABLE);
        if (configured == null || configured.isBlank()) {
            assertThat(PgTestServer.describe()).isEqualTo("embedded PostgreSQL 17.5");
        } else {
            assertThat(PgTestServer.describe()).startsWith("PostgreSQL at jdbc:postgresql:")
                    .contains(PgTestServer.URL_VARIABLE).matches(".*\\(\\d+\\.\\d+\\)");
        }
    }

    @Test
    void jdbcUrlForKeepsTheServerAndChangesTheDatabase() {
        assertThat(PgTestServer.jdbcUrlFor("template1"))
                .isEqualTo(PgTestServer.withDatabase(PgTestServer.adminJdbcUrl(), "template1"));
    }
}
