package dev.accordion.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import org.junit.jupiter.api.Test;

class PostgresUrlsTest {

    @Test
    void jdbcUrlsAreKeptAsTheyAre() {
        String url = "jdbc:postgresql://db.example.com:6432/app?user=me&sslmode=require";

        assertThat(PostgresUrls.toJdbc(url)).isEqualTo(url);
        assertThat(PostgresUrls.toJdbc("  " + url + "\n")).isEqualTo(url);
    }

    @Test
    void postgresUrlBecomesJdbcWithUserAndPasswordAsParameters() {
        assertThat(PostgresUrls.toJdbc("postgres://alice:secret@db.example.com:6432/app"))
                .isEqualTo("jdbc:postgresql://db.example.com:6432/app?user=alice&password=secret");
    }

    @Test
    void postgresqlSchemeIsAcceptedToo() {
        assertThat(PostgresUrls.toJdbc("postgresql://alice@localhost/app"))
                .isEqualTo("jdbc:postgresql://localhost:5432/app?user=alice");
    }

    @Test
    void portDefaultsTo5432() {
        assertThat(PostgresUrls.toJdbc("postgres://db.example.com/app")).isEqualTo("jdbc:postgresql://db.example.com:5432/app");
    }

    @Test
    void missingHostMeansLocalhost() {
        assertThat(PostgresUrls.toJdbc("postgres:///app")).isEqualTo("jdbc:postgresql://localhost:5432/app");
    }

    @Test
    void passwordIsPercentDecodedAndEncodedTheWayTheDriverDecodes() {
        String jdbc = PostgresUrls.toJdbc("postgres://alice:p%40ss%3Aw+rd%2F%20x@host/app");

        assertThat(jdbc).isEqualTo("jdbc:postgresql://host:5432/app?user=alice&password=p%40ss%3Aw%2Brd%2F+x");
        assertThat(PostgresUrls.parameter(jdbc, "password")).contains("p@ss:w+rd/ x");
    }

    @Test
    void queryParametersAreKeptAfterUserAndPassword() {
        assertThat(PostgresUrls.toJdbc("postgres://alice:pw@host:5433/app?sslmode=require&connect_timeout=5"))
                .isEqualTo("jdbc:postgresql://host:5433/app?user=alice&password=pw&sslmode=require&connect_timeout=5");
    }

    @Test
    void severalHostsAndIpv6HostsAreKept() {
        assertThat(PostgresUrls.toJdbc("postgres://h1,h2:5433/app")).isEqualTo("jdbc:postgresql://h1:5432,h2:5433/app");
        assertThat(PostgresUrls.toJdbc("postgres://[::1]:5433/app")).isEqualTo("jdbc:postgresql://[::1]:5433/app");
        assertThat(PostgresUrls.toJdbc("postgres://[::1]/app")).isEqualTo("jdbc:postgresql://[::1]:5432/app");
    }

    @Test
    void databaseNameIsDecodedAndEncodedForTheDriver() {
        assertThat(PostgresUrls.toJdbc("postgres://host/my%20db")).isEqualTo("jdbc:postgresql://host:5432/my+db");
    }

    @Test
    void otherSchemesAreRejectedWithTheAcceptedForms() {
        for (String url : new String[] {"mysql://root@localhost/app", "localhost:5432/app", "jdbc:mysql://localhost/app", "http://x"}) {
            assertThatThrownBy(() -> PostgresUrls.toJdbc(url))
                    .isInstanceOfSatisfying(AccordionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE))
                    .hasMessageContaining("jdbc:postgresql://")
                    .hasMessageContaining("postgres://")
                    .hasMessageContaining("postgresql://");
        }
    }

    @Test
    void errorsNeverShowThePassword() {
        assertThatThrownBy(() -> PostgresUrls.toJdbc("postgres://alice:hunter2@host:notaport/app"))
                .isInstanceOf(AccordionException.class)
                .hasMessageNotContaining("hunter2")
                .hasMessageContaining("alice:***@");
        assertThatThrownBy(() -> PostgresUrls.toJdbc("mysql://host/app?password=hunter2"))
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void malformedPercentEncodingIsAUsageError() {
        assertThatThrownBy(() -> PostgresUrls.toJdbc("postgres://alice:100%@host/app"))
                .isInstanceOfSatisfying(AccordionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE))
                .hasMessageContaining("%40")
                .hasMessageNotContaining("100%@");
    }

    @Test
    void emptyUrlIsAUsageError() {
        assertThatThrownBy(() -> PostgresUrls.toJdbc(" "))
                .isInstanceOfSatisfying(AccordionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE));
    }

    @Test
    void withParameterAddsAMissingParameter() {
        assertThat(PostgresUrls.withParameter("jdbc:postgresql://h:5432/app", "currentSchema", "public_02"))
                .isEqualTo("jdbc:postgresql://h:5432/app?currentSchema=public_02");
        assertThat(PostgresUrls.withParameter("jdbc:postgresql://h:5432/app?user=me", "ApplicationName", "accordion"))
                .isEqualTo("jdbc:postgresql://h:5432/app?user=me&ApplicationName=accordion");
    }

    @Test
    void withParameterReplacesEveryOccurrenceInPlaceOfTheFirst() {
        assertThat(PostgresUrls.withParameter("jdbc:postgresql://h/app?currentSchema=old&user=me&currentSchema=older",
                "currentSchema", "public_02"))
                .isEqualTo("jdbc:postgresql://h/app?currentSchema=public_02&user=me");
    }

    @Test
    void withParameterMatchesWholeKeysOnly() {
        assertThat(PostgresUrls.withParameter("jdbc:postgresql://h/app?currentSchemaX=a", "currentSchema", "b"))
                .isEqualTo("jdbc:postgresql://h/app?currentSchemaX=a&currentSchema=b");
    }

    @Test
    void withParameterEncodesTheValue() {
        String url = PostgresUrls.withParameter("jdbc:postgresql://h/app", "currentSchema", "My Schema&1");

        assertThat(url).isEqualTo("jdbc:postgresql://h/app?currentSchema=My+Schema%261");
        assertThat(PostgresUrls.parameter(url, "currentSchema")).contains("My Schema&1");
    }

    @Test
    void parameterIsEmptyWhenAbsent() {
        assertThat(PostgresUrls.parameter("jdbc:postgresql://h/app", "user")).isEmpty();
        assertThat(PostgresUrls.parameter("jdbc:postgresql://h/app?username=x", "user")).isEmpty();
    }

    @Test
    void withDatabaseKeepsServersAndParameters() {
        assertThat(PostgresUrls.withDatabase("jdbc:postgresql://h1:5432,h2:5433/postgres?user=me", "accordion_demo"))
                .isEqualTo("jdbc:postgresql://h1:5432,h2:5433/accordion_demo?user=me");
        assertThat(PostgresUrls.withDatabase("jdbc:postgresql://h:5432", "accordion_demo"))
                .isEqualTo("jdbc:postgresql://h:5432/accordion_demo");
        assertThat(PostgresUrls.withDatabase("jdbc:postgresql:postgres", "accordion_demo"))
                .isEqualTo("jdbc:postgresql:accordion_demo");
    }

    @Test
    void aVersionsUrlSelectsItsSchemaQuotedWhereNeededAndNamesTheApplicationAfterIt() {
        assertThat(PostgresUrls.searchPathEntry("app_v2")).isEqualTo("app_v2");
        assertThat(PostgresUrls.searchPathEntry("App V2")).isEqualTo("\"App V2\"");
        assertThat(PostgresUrls.searchPathEntry("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(PostgresUrls.forVersion("jdbc:postgresql://db/app?user=me", "App V2", java.util.Optional.empty()))
                .isEqualTo("jdbc:postgresql://db/app?user=me&currentSchema=%22App+V2%22");
        assertThat(PostgresUrls.forVersion("jdbc:postgresql://db/app?user=me", "public_02_x", java.util.Optional.of("shop")))
                .isEqualTo("jdbc:postgresql://db/app?user=me&currentSchema=public_02_x&ApplicationName=shop%40public_02_x");
    }
}
