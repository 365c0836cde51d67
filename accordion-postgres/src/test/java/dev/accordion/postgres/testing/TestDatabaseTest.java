package dev.accordion.postgres.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs against ACCORDION_TEST_PG_URL when set, else the embedded server. */
class TestDatabaseTest {

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @RegisterExtension
    final TestDatabase other = new TestDatabase();

    @Test
    void eachExtensionHasItsOwnDatabase() {
        assertThat(db.name()).matches("acc_test_[0-9a-f]{8}").isNotEqualTo(other.name());
        assertThat(db.queryString("select current_database()")).isEqualTo(db.name());
        assertThat(other.queryString("select current_database()")).isEqualTo(other.name());
    }

    @Test
    void tablesOfOneDatabaseAreInvisibleFromTheOther() {
        db.execute("create table visits (id int primary key)", "insert into visits values (1), (2)");

        assertThat(db.queryString("select count(*) from visits")).isEqualTo("2");
        assertThat(other.queryString("select to_regclass('public.visits')")).isNull();
        assertThatThrownBy(() -> other.queryStrings("select * from visits"))
                .isInstanceOf(StatementFailedException.class)
                .extracting(e -> ((StatementFailedException) e).sqlState()).isEqualTo("42P01"); // undefined_table
    }

    @Test
    void afterEachDropsTheDatabaseEvenWhileConnectionsAreOpen() throws Exception {
        TestDatabase extension = new TestDatabase();
        extension.beforeEach(null); // the extension never looks at its context
        String name = extension.name();
        assertThat(databaseExists(name)).isTrue();

        try (Connection leftOpen = extension.connect()) {
            extension.afterEach(null);

            assertThat(databaseExists(name)).isFalse();
            assertThat(leftOpen.isValid(2)).isFalse();
        }
        assertThatThrownBy(extension::name).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void databasesAreCreatedFromACleanTemplate() {
        assertThat(db.queryString("select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                + " where n.nspname = 'public'")).isEqualTo("0");
    }

    @Test
    void executeRunsStatementsInOrderOnOneConnection() {
        db.execute("create schema app", "set search_path = app", "create table items (id int)");

        assertThat(db.queryString("select to_regclass('app.items')::text")).isEqualTo("app.items");
    }

    @Test
    void executeNamesTheFailingStatement() {
        db.execute("create table items (id int primary key)", "insert into items values (1)");

        assertThatThrownBy(() -> db.execute("insert into items values (2)", "insert into items values (1)"))
                .isInstanceOfSatisfying(StatementFailedException.class, e -> {
                    assertThat(e.statement()).isEqualTo("insert into items values (1)");
                    assertThat(e.sqlState()).isEqualTo("23505"); // unique_violation
                    assertThat(e).hasMessageContaining("insert into items values (1)");
                });
        // autocommit: the statement before the failing one stays
        assertThat(db.queryStrings("select id from items order by id")).containsExactly("1", "2");
    }

    @Test
    void queryStringsKeepsNullsAndOrder() {
        assertThat(db.queryStrings("select x from (values (3, 1), (null, 2), (1, 3)) v(x, ord) order by ord"))
                .containsExactly("3", null, "1");
        assertThat(db.queryStrings("select 1 where false")).isEmpty();
    }

    @Test
    void queryStringDemandsExactlyOneRow() {
        assertThat(db.queryString("select 'only'")).isEqualTo("only");
        assertThat(db.queryString("select null")).isNull();
        assertThatThrownBy(() -> db.queryString("select 1 where false"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("got 0");
        assertThatThrownBy(() -> db.queryString("select generate_series(1, 2)"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("got 2");
    }

    @Test
    void queryRowsMapsLabelsToValuesInColumnOrder() {
        List<Map<String, Object>> rows = db.queryRows("select 2 as zulu, 'a' as alpha, null as mike"
                + " union all select 3, 'b', null");

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsExactly(entry("zulu", 2), entry("alpha", "a"), entry("mike", null));
        assertThat(rows.get(1).keySet()).containsExactly("zulu", "alpha", "mike");
    }

    @Test
    void dataSourceAndJdbcUrlReachTheTestDatabase() throws Exception {
        assertThat(db.jdbcUrl()).contains("/" + db.name());
        try (Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("select current_database()")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo(db.name());
        }
    }

    @Test
    void databasesCanBeCreatedAndDroppedInParallel() throws Exception {
        int parallelTests = 4;
        ExecutorService threads = Executors.newFixedThreadPool(parallelTests);
        try {
            List<Future<String>> names = new ArrayList<>();
            for (int i = 0; i < parallelTests; i++) {
                names.add(threads.submit(createUseAndDrop()));
            }
            List<String> used = new ArrayList<>();
            for (Future<String> name : names) {
                used.add(name.get());
            }
            assertThat(used).doesNotHaveDuplicates().allSatisfy(name -> assertThat(databaseExists(name)).isFalse());
        } finally {
            threads.shutdownNow();
        }
    }

    private static Callable<String> createUseAndDrop() {
        return () -> {
            TestDatabase extension = new TestDatabase();
            extension.beforeEach(null);
            try {
                extension.execute("create table t (id int)", "insert into t values (1)");
                assertThat(extension.queryString("select count(*) from t")).isEqualTo("1");
                return extension.name();
            } finally {
                extension.afterEach(null);
            }
        };
    }

    private boolean databaseExists(String name) {
        // pg_database is shared by all databases of a server, so any of them can answer
        return !db.queryStrings("select datname from pg_database where datname = '" + name + "'").isEmpty();
    }
}
