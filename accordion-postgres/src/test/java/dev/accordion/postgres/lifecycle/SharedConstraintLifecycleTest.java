package dev.accordion.postgres.lifecycle;

import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.assertFailsWith;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.assertRefused;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.lines;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.tableColumns;
import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.postgres.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Constraint operations on columns that already share a multi-column constraint (pgroll's examples 44 to 48): the
 * shadows of all the operation's columns are made at once, and a constraint or index over several of them is carried
 * over once, onto all their shadows together, and has its name and its columns' names back at complete.
 */
class SharedConstraintLifecycleTest {

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private Lifecycle lifecycle;

    @BeforeEach
    void sellersAndTicketsWithAUniquePair() {
        lifecycle = new Lifecycle(db);
        lifecycle.given("01_scene", """
                operations:
                  - create_table:
                      name: sellers
                      columns:
                        - {name: name, type: varchar(255), pk: true}
                        - {name: zip, type: integer, pk: true}
                  - create_table:
                      name: tickets
                      columns:
                        - {name: ticket_id, type: serial, pk: true}
                        - {name: sellers_name, type: varchar(255), nullable: true}
                        - {name: sellers_zip, type: integer, nullable: true}
                """);
        lifecycle.given("02_unique_pair", """
                operations:
                  - create_constraint:
                      type: unique
                      table: tickets
                      name: unique_zip_name
                      columns: [sellers_name, sellers_zip]
                """);
        db.execute("INSERT INTO public.sellers VALUES ('alice', 0), ('bob', 1), ('bob', 2)");
        db.execute("INSERT INTO public.tickets (sellers_name, sellers_zip) VALUES ('alice', 0), ('bob', 1), ('bob', -5)");
    }

    @Test
    void checkOverBothColumnsCarriesTheirUniqueConstraintOnce() throws Exception {
        lifecycle.run("03_check", CHECK, (v1, v2) -> {
            assertThat(lines(v2.rows("SELECT ticket_id, sellers_name, sellers_zip FROM tickets ORDER BY 1")))
                    .containsExactly("1|alice|0", "2|bob|1", "3|bob|123");
            assertFailsWith("23505", () -> v2.execute("INSERT INTO tickets (sellers_name, sellers_zip) VALUES ('bob', 1)"));
            assertFailsWith("23514", () -> v2.execute("INSERT INTO tickets (sellers_name, sellers_zip) VALUES ('carol', -1)"));
            v1.execute("INSERT INTO tickets (ticket_id, sellers_name, sellers_zip) VALUES (10, 'carol', -1)");
            assertThat(lines(v2.rows("SELECT sellers_zip FROM tickets WHERE ticket_id = 10"))).containsExactly("123");
            assertFailsWith("23505", () -> v1.execute("INSERT INTO tickets (sellers_name, sellers_zip) VALUES ('carol', -2)"));
            v1.execute("DELETE FROM tickets WHERE ticket_id = 10");
        }, (v1, v2) -> {
            assertThat(tableColumns(db, "tickets")).containsExactly("ticket_id", "sellers_name", "sellers_zip");
            assertThat(constraintDefs()).containsExactly("tickets_pkey PRIMARY KEY (ticket_id)",
                    "unique_zip_name UNIQUE (sellers_name, sellers_zip)");
        }, (v1, v2) -> {
            assertThat(constraintDefs()).containsExactly(CHECK_DEF, "tickets_pkey PRIMARY KEY (ticket_id)",
                    "unique_zip_name UNIQUE (sellers_name, sellers_zip)");
            assertThat(indexColumns("unique_zip_name")).containsExactly("sellers_name", "sellers_zip");
            assertFailsWith("23505", () -> v2.execute("INSERT INTO tickets (sellers_name, sellers_zip) VALUES ('bob', 1)"));
        });
    }

    @Test
    void foreignKeyOverBothColumnsCarriesTheirUniqueAndCheckConstraints() throws Exception {
        lifecycle.given("03_check", CHECK);
        lifecycle.run("04_fk", FOREIGN_KEY, (v1, v2) -> {
            assertThat(lines(v2.rows("SELECT ticket_id, sellers_name, sellers_zip FROM tickets ORDER BY 1")))
                    .containsExactly("1|alice|0", "2|bob|1", "3|null|null");
            assertFailsWith("23503", () -> v2.execute("INSERT INTO tickets (sellers_name, sellers_zip) VALUES ('bob', 7)"));
            assertFailsWith("23505", () -> v2.execute("INSERT INTO tickets (sellers_name, sellers_zip) VALUES ('bob', 1)"));
            assertFailsWith("23514", () -> v2.execute("INSERT INTO tickets (sellers_name, sellers_zip) VALUES ('bob', -1)"));
            v2.execute("INSERT INTO tickets (ticket_id, sellers_name, sellers_zip) VALUES (10, 'bob', 2)");
            assertThat(lines(v1.rows("SELECT sellers_name, sellers_zip FROM tickets WHERE ticket_id = 10"))).containsExactly("bob|2");
            v1.execute("INSERT INTO tickets (ticket_id, sellers_name, sellers_zip) VALUES (11, 'dave', 7)");
            assertThat(lines(v2.rows("SELECT sellers_name, sellers_zip FROM tickets WHERE ticket_id = 11")))
                    .containsExactly("null|null");
            v1.execute("DELETE FROM tickets WHERE ticket_id >= 10");
        }, (v1, v2) -> assertThat(constraintDefs()).containsExactly(CHECK_DEF, "tickets_pkey PRIMARY KEY (ticket_id)",
                "unique_zip_name UNIQUE (sellers_name, sellers_zip)"), (v1, v2) -> {
            assertThat(constraintDefs()).containsExactly(CHECK_DEF,
                    "fk_sellers FOREIGN KEY (sellers_name, sellers_zip) REFERENCES sellers(name, zip) validated",
                    "tickets_pkey PRIMARY KEY (ticket_id)", "unique_zip_name UNIQUE (sellers_name, sellers_zip)");
            assertThat(indexColumns("unique_zip_name")).containsExactly("sellers_name", "sellers_zip");
            assertFailsWith("23503", () -> v2.execute("INSERT INTO tickets (sellers_name, sellers_zip) VALUES ('bob', 7)"));
        });
    }

    @Test
    void droppingTheCheckKeepsTheUniqueConstraintAndTheForeignKey() throws Exception {
        lifecycle.given("03_check", CHECK);
        lifecycle.given("04_fk", FOREIGN_KEY);
        db.execute("INSERT INTO public.sellers VALUES ('carol', -1)");
        lifecycle.run("05_drop_check", """
                operations:
                  - drop_multicolumn_constraint:
                      table: tickets
                      name: check_zip_name
                      down:
                        sellers_zip: CASE WHEN sellers_name <> 'alice' AND sellers_zip <= 0 THEN NULL ELSE sellers_zip END
                """, (v1, v2) -> {
            v2.execute("INSERT INTO tickets (ticket_id, sellers_name, sellers_zip) VALUES (10, 'carol', -1)");
            assertThat(lines(v1.rows("SELECT sellers_name, sellers_zip FROM tickets WHERE ticket_id = 10")))
                    .containsExactly("carol|null");
            assertFailsWith("23514", () -> v1.execute("INSERT INTO tickets (sellers_name, sellers_zip) VALUES ('carol', -1)"));
            assertFailsWith("23505", () -> v2.execute("INSERT INTO tickets (sellers_name, sellers_zip) VALUES ('carol', -1)"));
            assertFailsWith("23503", () -> v2.execute("INSERT INTO tickets (sellers_name, sellers_zip) VALUES ('carol', 7)"));
            v2.execute("DELETE FROM tickets WHERE ticket_id = 10");
        }, (v1, v2) -> assertThat(constraintDefs()).contains(CHECK_DEF), (v1, v2) -> {
            assertThat(constraintDefs()).containsExactly(
                    "fk_sellers FOREIGN KEY (sellers_name, sellers_zip) REFERENCES sellers(name, zip) validated",
                    "tickets_pkey PRIMARY KEY (ticket_id)", "unique_zip_name UNIQUE (sellers_name, sellers_zip)");
            assertThat(indexColumns("unique_zip_name")).containsExactly("sellers_name", "sellers_zip");
            v2.execute("INSERT INTO tickets (sellers_name, sellers_zip) VALUES ('carol', -1)");
        });
    }

    @Test
    void twoOperationsThatEachMoveOneColumnOfTheSharedConstraintAreRefused() {
        AccordionException refused = assertRefused(db, lifecycle, "03_both_types", """
                operations:
                  - alter_column: {table: tickets, column: sellers_name, type: text, up: sellers_name, down: sellers_name}
                  - alter_column: {table: tickets, column: sellers_zip, type: bigint, up: sellers_zip, down: sellers_zip}
                """, ErrorCode.INVALID_MIGRATION, "\"sellers_zip\"", "constraint \"unique_zip_name\"", "\"sellers_name\"",
                "in one operation, or in separate migrations");
        assertThat(refused.getMessage()).contains("already moved to a shadow column");
    }

    private static final String CHECK = """
            operations:
              - create_constraint:
                  type: check
                  table: tickets
                  name: check_zip_name
                  columns: [sellers_name, sellers_zip]
                  check: sellers_name = 'alice' OR sellers_zip > 0
                  up:
                    sellers_zip: CASE WHEN sellers_name <> 'alice' AND sellers_zip <= 0 THEN 123 ELSE sellers_zip END
            """;
    private static final String CHECK_DEF = "check_zip_name CHECK ((((sellers_name)::text = 'alice'::text) OR (sellers_zip > 0))) "
            + "validated";
    private static final String FOREIGN_KEY = """
            operations:
              - create_constraint:
                  type: foreign_key
                  table: tickets
                  name: fk_sellers
                  columns: [sellers_name, sellers_zip]
                  references: {table: sellers, columns: [name, zip]}
                  up:
                    sellers_name: CASE WHEN EXISTS (SELECT 1 FROM sellers s WHERE s.name = sellers_name AND s.zip = sellers_zip) THEN sellers_name END
                    sellers_zip: CASE WHEN EXISTS (SELECT 1 FROM sellers s WHERE s.name = sellers_name AND s.zip = sellers_zip) THEN sellers_zip END
            """;

    /** Each constraint of tickets as name, definition and "validated" when it is, sorted by name. */
    private List<String> constraintDefs() {
        return db.queryStrings("SELECT conname || ' ' || pg_get_constraintdef(oid) || CASE WHEN contype IN ('c', 'f') AND convalidated "
                + "THEN ' validated' ELSE '' END FROM pg_constraint WHERE conrelid = 'public.tickets'::regclass ORDER BY conname");
    }

    /** The index's own column names, which PostgreSQL does not rename with the table's. */
    private List<String> indexColumns(String index) {
        return db.queryStrings("SELECT attname FROM pg_attribute WHERE attrelid = 'public." + index + "'::regclass ORDER BY attnum");
    }
}
