package dev.accordion.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.Accordion;
import dev.accordion.migration.MigrationReader;
import dev.accordion.plan.Phase;
import dev.accordion.postgres.testing.TestDatabase;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Accordion run as the database's owner, a role that is not a superuser and may create neither roles nor databases,
 * as a managed service's application owner is: every phase works with the rights such a role has in its own database.
 */
class LeastPrivilegeTest {

    private static final String PASSWORD = "owner-" + HexFormat.of().toHexDigits(new SecureRandom().nextInt());

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private final String owner = "acc_owner_" + HexFormat.of().toHexDigits(new SecureRandom().nextInt());

    @BeforeEach
    void databaseOwnedByAPlainRole() {
        db.execute("CREATE ROLE " + owner + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD '" + PASSWORD + "'",
                "ALTER DATABASE " + db.name() + " OWNER TO " + owner,
                "ALTER SCHEMA public OWNER TO " + owner);
    }

    @AfterEach
    void dropTheRole() {
        db.execute("REASSIGN OWNED BY " + owner + " TO CURRENT_USER", "DROP OWNED BY " + owner, "DROP ROLE " + owner);
    }

    @Test
    void theOwnerRunsEveryPhase() throws SQLException {
        try (Connection connection = asOwner()) {
            connection.createStatement().execute("""
                    CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL, price integer NOT NULL);
                    INSERT INTO items SELECT g, 'item ' || g, g FROM generate_series(1, 2000) g""");
        }
        Accordion accordion = Accordion.configure().clientWatch(java.time.Duration.ZERO).connections(this::asOwner).backfillBatchSize(500).load();

        accordion.init();
        accordion.baseline("01_items");
        assertThat(accordion.start(MigrationReader.parseYaml("02_rename", """
                operations:
                  - rename_column: {table: items, from: name, to: title}
                  - alter_column: {table: items, column: price, type: "numeric(10,2)", up: price / 100.0, down: (price * 100)::integer}
                """), false).phase()).isEqualTo(Phase.START);
        assertThat(accordion.status().active().map(r -> r.status().name())).contains("ACTIVE");
        assertThat(db.queryString("SELECT sum(price)::text FROM public_02_rename.items")).isEqualTo("20010.00");
        assertThat(accordion.complete().phase()).isEqualTo(Phase.COMPLETE);

        accordion.start(MigrationReader.parseYaml("03_note", """
                operations:
                  - add_column: {table: items, up: "'none'", column: {name: note, type: text, nullable: true}}
                """), false);
        assertThat(accordion.rollback().phase()).isEqualTo(Phase.ROLLBACK);

        assertThat(db.queryStrings("SELECT name || ' ' || status FROM accordion.migrations ORDER BY started_at"))
                .containsExactly("01_items complete", "02_rename complete");
        assertThat(db.queryStrings("SELECT column_name || ' ' || data_type FROM information_schema.columns "
                + "WHERE table_schema = 'public' AND table_name = 'items' ORDER BY ordinal_position"))
                .containsExactly("id bigint", "title text", "price numeric");
        assertThat(db.queryString("SELECT string_agg(DISTINCT pg_get_userbyid(relowner), ',') FROM pg_class c "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname IN ('public', 'accordion', 'public_02_rename')"))
                .as("everything Accordion made belongs to the owner").isEqualTo(owner);
    }

    private Connection asOwner() throws SQLException {
        String url = PostgresUrls.withParameter(PostgresUrls.withParameter(db.jdbcUrl(), "user", owner), "password", PASSWORD);
        return DriverManager.getConnection(url);
    }
}
