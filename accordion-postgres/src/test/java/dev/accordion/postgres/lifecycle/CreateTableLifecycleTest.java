package dev.accordion.postgres.lifecycle;

import static dev.accordion.postgres.lifecycle.TableLifecycleSupport.assertRefused;
import static dev.accordion.postgres.lifecycle.TableLifecycleSupport.assertRejected;
import static dev.accordion.postgres.lifecycle.TableLifecycleSupport.constraints;
import static dev.accordion.postgres.lifecycle.TableLifecycleSupport.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.postgres.testing.TestDatabase;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * create_table with every column and table-constraint option: the new version sees the table and
 * its constraints at once, the old version never sees it, rollback drops it, and complete leaves
 * every option in the catalog.
 */
class CreateTableLifecycleTest {

    /** Two tables for the new table's foreign keys to point at. */
    private static final String BASE = """
            operations:
              - create_table:
                  name: customers
                  columns:
                    - {name: id, type: integer, pk: true}
                    - {name: region, type: text}
                  constraints:
                    - {name: customers_id_region_key, type: unique, columns: [id, region]}
            """;

    private static final String BOOKINGS = """
            operations:
              - create_table:
                  name: bookings
                  comment: Room bookings
                  columns:
                    - name: id
                      type: bigint
                      pk: true
                      generated:
                        identity: {user_specified_values: ALWAYS, sequence_options: "START WITH 100 INCREMENT BY 10"}
                    - name: ticket
                      type: integer
                      unique: true
                      generated:
                        identity: {user_specified_values: BY DEFAULT}
                    - name: room
                      type: text
                      comment: Room code, a letter and a number
                      check: {name: room_code_format, constraint: "room ~ '^[A-Z][0-9]+$'"}
                    - name: nights
                      type: integer
                      default: "1"
                      check: {name: nights_positive, constraint: "nights > 0", no_inherit: true}
                    - {name: price_per_night, type: "numeric(8,2)", default: "100.00"}
                    - name: total
                      type: "numeric(10,2)"
                      generated: {expression: "nights * price_per_night"}
                    - name: customer_id
                      type: integer
                      nullable: true
                      references:
                        name: bookings_customer_fk
                        table: customers
                        column: id
                        on_delete: SET NULL
                        on_update: CASCADE
                        match_type: SIMPLE
                        deferrable: true
                        initially_deferred: true
                    - {name: payer_id, type: integer, nullable: true}
                    - {name: payer_region, type: text, nullable: true}
                    - {name: during, type: tsrange}
                  constraints:
                    - name: bookings_room_during_key
                      type: unique
                      columns: [room, during]
                      nulls_not_distinct: true
                      index_parameters: {include_columns: [nights]}
                    - {name: bookings_total_cap, type: check, check: "total < 10000", no_inherit: true}
                    - name: bookings_payer_fk
                      type: foreign_key
                      columns: [payer_id, payer_region]
                      deferrable: true
                      references:
                        table: customers
                        columns: [id, region]
                        on_delete: CASCADE
                        on_update: RESTRICT
                        match_type: FULL
                    - name: bookings_no_overlap
                      type: exclude
                      exclude: {index_method: gist, elements: "during WITH &&", predicate: "nights < 30"}
            """;

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private Lifecycle lifecycle;
    /** BOOKINGS as this server takes it: UNIQUE NULLS NOT DISTINCT came with PostgreSQL 15. */
    private String bookings;
    private String roomDuringKey;
    /** The SQLSTATE of a value written to a generated column: a syntax error before PostgreSQL 14. */
    private String generatedColumnWritten;

    @BeforeEach
    void setUp() throws Exception {
        int serverVersion = Integer.parseInt(db.queryString("SHOW server_version_num"));
        boolean nullsNotDistinct = serverVersion >= 150000;
        generatedColumnWritten = serverVersion >= 140000 ? "428C9" : "42601";
        bookings = nullsNotDistinct ? BOOKINGS : BOOKINGS.replaceAll("(?m)^ *nulls_not_distinct: true\n", "");
        roomDuringKey = "bookings_room_during_key u UNIQUE " + (nullsNotDistinct ? "NULLS NOT DISTINCT " : "") + "(room, during) INCLUDE (nights)";
        lifecycle = new Lifecycle(db);
        lifecycle.given("01_base", BASE);
        lifecycle.version("01_base").execute("INSERT INTO customers (id, region) VALUES (1, 'eu'), (2, 'us'), (3, 'eu')");
    }

    @Test
    void onlyTheNewVersionSeesTheTableAndRollbackDropsIt() throws Exception {
        lifecycle.run("02_bookings", bookings, (v1, v2) -> {
                    assertThat(v2.columns("bookings")).containsExactly("id", "ticket", "room", "nights", "price_per_night", "total",
                            "customer_id", "payer_id", "payer_region", "during");
                    assertThat(v1.columns("bookings")).isEmpty();
                    assertRejected("42P01", () -> v1.rows("SELECT * FROM bookings"));
                    assertThat(v1.rows("SELECT id FROM customers ORDER BY id")).extracting(r -> r.get("id")).containsExactly(1, 2, 3);
                    assertThat(v2.rows("SELECT id FROM customers ORDER BY id")).extracting(r -> r.get("id")).containsExactly(1, 2, 3);
                },
                (v1, v2) -> {
                    assertThat(db.queryString("SELECT to_regclass('public.bookings') IS NULL")).isEqualTo("t");
                    assertThat(db.queryStrings("SELECT relname FROM pg_class WHERE relname LIKE 'bookings%'")).isEmpty();
                    assertThat(db.queryStrings("SELECT conname FROM pg_constraint WHERE confrelid = 'public.customers'::regclass"))
                            .as("foreign keys pointing at customers").isEmpty();
                    assertThat(v1.rows("SELECT id, region FROM customers ORDER BY id")).hasSize(3);
                },
                (v1, v2) -> {
                    assertThat(db.queryString("SELECT to_regclass('public.bookings') IS NOT NULL")).isEqualTo("t");
                    assertThat(v2.columns("bookings")).hasSize(10);
                    assertThat(db.queryString("SELECT to_regnamespace('public_01_base') IS NULL")).isEqualTo("t");
                });
    }

    @Test
    void newVersionInsertsWithoutIdentityDefaultAndGeneratedColumnsAndGetsTheirValuesBack() throws Exception {
        lifecycle.run("02_bookings", bookings, (v1, v2) -> {
            assertThat(v2.rows("INSERT INTO bookings (room, during) VALUES ('A1', '[2024-01-01,2024-01-03)') "
                    + "RETURNING id, ticket, nights, price_per_night, total")).containsExactly(row("id", 100L, "ticket", 1,
                    "nights", 1, "price_per_night", new BigDecimal("100.00"), "total", new BigDecimal("100.00")));
            v2.execute("INSERT INTO bookings (ticket, room, nights, price_per_night, customer_id, payer_id, payer_region, during) "
                    + "VALUES (42, 'B2', 3, 80.50, 1, 2, 'us', '[2024-02-01,2024-02-04)')");
            v2.execute("UPDATE bookings SET nights = 2 WHERE room = 'A1'");
            assertThat(v2.rows("SELECT id, ticket, total, customer_id FROM bookings ORDER BY id")).containsExactly(
                    row("id", 100L, "ticket", 1, "total", new BigDecimal("200.00"), "customer_id", null),
                    row("id", 110L, "ticket", 42, "total", new BigDecimal("241.50"), "customer_id", 1));
            // an ALWAYS identity refuses a value from the client, a generated column refuses any value
            assertRejected("428C9", () -> v2.execute("INSERT INTO bookings (id, room, during) VALUES (7, 'C3', '[2025-01-01,2025-01-02)')"));
            assertRejected(generatedColumnWritten, () -> v2.execute("INSERT INTO bookings (room, total, during) VALUES ('C3', 1, '[2025-01-01,2025-01-02)')"));
        }, Lifecycle.NOTHING, (v1, v2) -> {
            v2.execute("INSERT INTO bookings (room, nights, during) VALUES ('D4', 2, '[2026-01-01,2026-01-03)')");
            assertThat(v2.rows("SELECT id, ticket, total FROM bookings WHERE room = 'D4'"))
                    .containsExactly(row("id", 120L, "ticket", 2, "total", new BigDecimal("200.00")));
        });
    }

    @Test
    void everyConstraintRejectsBadRowsThroughTheNewVersion() throws Exception {
        lifecycle.run("02_bookings", bookings, (v1, v2) -> {
            v2.execute("INSERT INTO bookings (room, customer_id, payer_id, payer_region, during) "
                    + "VALUES ('A1', 1, 2, 'us', '[2024-01-01,2024-01-03)')");
            String during = ", '[2024-03-01,2024-03-02)')";
            assertRejected("23502", () -> v2.execute("INSERT INTO bookings (room, during) VALUES (NULL" + during));
            assertRejected("23514", () -> v2.execute("INSERT INTO bookings (room, during) VALUES ('a1'" + during));
            assertRejected("23514", () -> v2.execute("INSERT INTO bookings (room, nights, during) VALUES ('A2', 0" + during));
            assertRejected("23514", () -> v2.execute("INSERT INTO bookings (room, nights, during) VALUES ('A2', 200" + during));
            assertRejected("23505", () -> v2.execute("INSERT INTO bookings (ticket, room, during) VALUES (1, 'A2'" + during));
            // same room and period, 30 nights so that the exclusion's predicate leaves the new row out
            assertRejected("23505", () -> v2.execute("INSERT INTO bookings (room, nights, during) VALUES ('A1', 30, '[2024-01-01,2024-01-03)')"));
            assertRejected("23P01", () -> v2.execute("INSERT INTO bookings (room, during) VALUES ('B1', '[2024-01-02,2024-01-05)')"));
            assertRejected("23503", () -> v2.execute("INSERT INTO bookings (room, customer_id, during) VALUES ('A2', 99" + during));
            // MATCH FULL: a half-filled composite key is refused, and so is a pair that does not exist
            assertRejected("23503", () -> v2.execute("INSERT INTO bookings (room, payer_id, during) VALUES ('A2', 1" + during));
            assertRejected("23503", () -> v2.execute("INSERT INTO bookings (room, payer_id, payer_region, during) VALUES ('A2', 1, 'us'" + during));
            assertThat(v2.rows("SELECT room FROM bookings")).containsExactly(row("room", "A1"));
        }, Lifecycle.NOTHING, (v1, v2) -> {
            v2.execute("DELETE FROM bookings");
            v2.execute("INSERT INTO bookings (room, customer_id, payer_id, payer_region, during) "
                    + "VALUES ('A1', 1, 2, 'us', '[2024-01-01,2024-01-03)'), ('A2', 3, 1, 'eu', '[2024-02-01,2024-02-03)')");
            v2.execute("UPDATE customers SET id = 30 WHERE id = 3");       // ON UPDATE CASCADE
            assertRejected("23503", () -> v2.execute("UPDATE customers SET id = 20 WHERE id = 2"));  // ON UPDATE RESTRICT
            v2.execute("DELETE FROM customers WHERE id = 1");               // SET NULL on customer_id, CASCADE on payer
            assertThat(v2.rows("SELECT room, customer_id FROM bookings ORDER BY room")).containsExactly(
                    row("room", "A1", "customer_id", null));
            v2.execute("DELETE FROM customers WHERE id = 2");
            assertThat(v2.rows("SELECT room FROM bookings")).isEmpty();
        });
    }

    @Test
    void completeLeavesEveryOptionInTheCatalog() throws Exception {
        lifecycle.run("02_bookings", bookings, Lifecycle.NOTHING, Lifecycle.NOTHING, (v1, v2) -> {
            assertThat(db.queryStrings("SELECT attname || ' ' || attidentity::text || attgenerated::text || ' ' || attnotnull "
                    + "FROM pg_attribute WHERE attrelid = 'public.bookings'::regclass AND attnum > 0 ORDER BY attnum"))
                    .containsExactly("id a true", "ticket d true", "room  true", "nights  true", "price_per_night  true",
                            "total s true", "customer_id  false", "payer_id  false", "payer_region  false", "during  true");
            assertThat(db.queryStrings("SELECT a.attname || ' ' || pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d "
                    + "JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum "
                    + "WHERE d.adrelid = 'public.bookings'::regclass ORDER BY a.attnum"))
                    .containsExactly("nights 1", "price_per_night 100.00", "total ((nights)::numeric * price_per_night)");
            assertThat(db.queryString("SELECT seqstart || ' ' || seqincrement FROM pg_sequence "
                    + "WHERE seqrelid = pg_get_serial_sequence('public.bookings', 'id')::regclass")).isEqualTo("100 10");
            assertThat(db.queryStrings("SELECT format('%s %s deferrable=%s deferred=%s noinherit=%s fk=%s%s%s', conname, contype, condeferrable, "
                    + "condeferred, connoinherit, confupdtype, confdeltype, confmatchtype) FROM pg_constraint WHERE conrelid = 'public.bookings'::regclass ORDER BY conname"))
                    .containsExactly(
                            "bookings_customer_fk f deferrable=t deferred=t noinherit=t fk=cns",
                            "bookings_no_overlap x deferrable=f deferred=f noinherit=t fk=   ",
                            "bookings_payer_fk f deferrable=t deferred=f noinherit=t fk=rcf",
                            "bookings_pkey p deferrable=f deferred=f noinherit=t fk=   ",
                            "bookings_room_during_key u deferrable=f deferred=f noinherit=t fk=   ",
                            "bookings_ticket_key u deferrable=f deferred=f noinherit=t fk=   ",
                            "bookings_total_cap c deferrable=f deferred=f noinherit=t fk=   ",
                            "nights_positive c deferrable=f deferred=f noinherit=t fk=   ",
                            "room_code_format c deferrable=f deferred=f noinherit=f fk=   ");
            assertThat(constraints(db, "bookings")).contains(
                    "bookings_no_overlap x EXCLUDE USING gist (during WITH &&) WHERE ((nights < 30))",
                    roomDuringKey,
                    "bookings_payer_fk f FOREIGN KEY (payer_id, payer_region) REFERENCES customers(id, region) MATCH FULL "
                            + "ON UPDATE RESTRICT ON DELETE CASCADE DEFERRABLE",
                    "room_code_format c CHECK ((room ~ '^[A-Z][0-9]+$'::text))");
            assertThat(db.queryString("SELECT obj_description('public.bookings'::regclass, 'pg_class')")).isEqualTo("Room bookings");
            assertThat(db.queryString("SELECT col_description('public.bookings'::regclass, 3)")).isEqualTo("Room code, a letter and a number");
            assertThat(db.queryString("SELECT count(*) FROM pg_description WHERE objoid = 'public.bookings'::regclass")).isEqualTo("2");
        });
    }

    @Test
    void compositePrimaryKeysFromColumnsAndFromAConstraint() throws Exception {
        lifecycle.run("02_rates", """
                operations:
                  - create_table:
                      name: room_rates
                      columns:
                        - {name: room, type: text, pk: true}
                        - {name: season, type: text, pk: true}
                        - {name: rate, type: "numeric(8,2)", nullable: true}
                  - create_table:
                      name: room_notes
                      columns:
                        - {name: room, type: text}
                        - {name: note_no, type: integer}
                        - {name: note, type: text, nullable: true}
                      constraints:
                        - {name: room_notes_pk, type: primary_key, columns: [room, note_no], index_parameters: {include_columns: [note]}}
                """, (v1, v2) -> {
                    assertThat(v1.columns("room_rates")).isEmpty();
                    assertThat(v1.columns("room_notes")).isEmpty();
                    v2.execute("INSERT INTO room_rates (room, season, rate) VALUES ('A1', 'summer', 120), ('A1', 'winter', 90)");
                    v2.execute("INSERT INTO room_notes (room, note_no, note) VALUES ('A1', 1, 'sea view'), ('A1', 2, 'quiet')");
                    assertRejected("23505", () -> v2.execute("INSERT INTO room_rates (room, season) VALUES ('A1', 'summer')"));
                    assertRejected("23505", () -> v2.execute("INSERT INTO room_notes (room, note_no) VALUES ('A1', 2)"));
                    assertRejected("23502", () -> v2.execute("INSERT INTO room_notes (room, note_no) VALUES ('A1', NULL)"));
                    assertThat(v2.rows("SELECT season, rate FROM room_rates ORDER BY season")).containsExactly(
                            row("season", "summer", "rate", new BigDecimal("120.00")), row("season", "winter", "rate", new BigDecimal("90.00")));
                },
                (v1, v2) -> assertThat(db.queryStrings("SELECT relname FROM pg_class WHERE relname LIKE 'room%'")).isEmpty(),
                (v1, v2) -> {
                    assertThat(constraints(db, "room_rates")).containsExactly("room_rates_pkey p PRIMARY KEY (room, season)");
                    assertThat(constraints(db, "room_notes")).containsExactly("room_notes_pk p PRIMARY KEY (room, note_no) INCLUDE (note)");
                    assertThat(db.queryStrings("SELECT attname || ' ' || attnotnull FROM pg_attribute "
                            + "WHERE attrelid = 'public.room_notes'::regclass AND attnum > 0 ORDER BY attnum"))
                            .containsExactly("room true", "note_no true", "note false");
                    assertThat(v2.rows("SELECT note FROM room_notes ORDER BY note_no")).extracting(r -> r.get("note"))
                            .containsExactly("sea view", "quiet");
                });
    }

    @Test
    void aTableMayReferenceATableCreatedEarlierInTheSameMigration() throws Exception {
        lifecycle.run("02_hotels", """
                operations:
                  - create_table:
                      name: hotels
                      columns:
                        - {name: id, type: integer, pk: true}
                        - {name: name, type: text}
                  - create_table:
                      name: rooms
                      columns:
                        - {name: id, type: integer, pk: true}
                        - name: hotel_id
                          type: integer
                          references: {name: rooms_hotel_fk, table: hotels, column: id, on_delete: CASCADE}
                """, (v1, v2) -> {
                    v2.execute("INSERT INTO hotels (id, name) VALUES (1, 'Grand')");
                    v2.execute("INSERT INTO rooms (id, hotel_id) VALUES (10, 1)");
                    assertRejected("23503", () -> v2.execute("INSERT INTO rooms (id, hotel_id) VALUES (11, 2)"));
                },
                (v1, v2) -> assertThat(db.queryStrings("SELECT to_regclass('public.hotels')::text UNION ALL "
                        + "SELECT to_regclass('public.rooms')::text")).containsOnlyNulls(),
                (v1, v2) -> {
                    assertThat(constraints(db, "rooms")).contains("rooms_hotel_fk f FOREIGN KEY (hotel_id) REFERENCES hotels(id) ON DELETE CASCADE");
                    v2.execute("DELETE FROM hotels WHERE id = 1");
                    assertThat(v2.rows("SELECT id FROM rooms")).isEmpty();
                });
    }

    @Test
    void aColumnMayReferenceItsOwnTable() throws Exception {
        lifecycle.run("02_staff", """
                operations:
                  - create_table:
                      name: staff
                      columns:
                        - {name: id, type: integer, pk: true}
                        - name: manager_id
                          type: integer
                          nullable: true
                          references: {name: staff_manager_fk, table: staff, column: id, on_delete: SET NULL}
                """, (v1, v2) -> {
                    v2.execute("INSERT INTO staff (id, manager_id) VALUES (1, NULL), (2, 1)");
                    assertRejected("23503", () -> v2.execute("INSERT INTO staff (id, manager_id) VALUES (3, 9)"));
                }, Lifecycle.NOTHING, (v1, v2) -> {
                    assertThat(constraints(db, "staff")).contains("staff_manager_fk f FOREIGN KEY (manager_id) REFERENCES staff(id) ON DELETE SET NULL");
                    v2.execute("DELETE FROM staff WHERE id = 1");
                    assertThat(v2.rows("SELECT id, manager_id FROM staff")).containsExactly(row("id", 2, "manager_id", null));
                });
    }

    @Test
    void aColumnCheckWithoutANameOrAReferenceWithoutATableIsRefusedNamingTheColumn() {
        assertThat(assertRefused(lifecycle, db, "02_unnamed", """
                operations:
                  - create_table:
                      name: invoices
                      columns:
                        - {name: id, type: integer, pk: true, check: {constraint: "id > 0"}}
                        - {name: customer_id, type: integer, references: {name: invoices_customer_fk, column: id}}
                """)).containsExactly(
                "operation 1 (create_table): the field \"check.name of column \"id\"\" is required",
                "operation 1 (create_table): the field \"references.table of column \"customer_id\"\" is required");
    }

    @Test
    void creatingATableThatExistsIsRefused() {
        assertThat(assertRefused(lifecycle, db, "02_again", """
                operations:
                  - create_table:
                      name: customers
                      columns: [{name: id, type: integer, pk: true}]
                """)).containsExactly("operation 1 (create_table): a table or index named \"customers\" already exists; choose another name");
    }

    @Test
    void foreignKeysToAnUnknownTableOrColumnAreRefusedNamingThem() {
        assertThat(assertRefused(lifecycle, db, "02_bad_refs", """
                operations:
                  - create_table:
                      name: invoices
                      columns:
                        - {name: id, type: integer, pk: true}
                        - {name: supplier_id, type: integer, references: {name: invoices_supplier_fk, table: suppliers, column: id}}
                        - {name: customer_code, type: text, references: {name: invoices_customer_fk, table: customers, column: code}}
                      constraints:
                        - {name: invoices_agent_fk, type: foreign_key, columns: [id], references: {table: agents, columns: [id]}}
                """)).containsExactly(
                "operation 1 (create_table): table \"suppliers\" does not exist (tables: \"customers\")",
                "operation 1 (create_table): column \"code\" does not exist in table \"customers\" (columns: \"id\", \"region\")",
                "operation 1 (create_table): table \"agents\" does not exist (tables: \"customers\")");
    }

    @Test
    void aTableNameOver63BytesIsRefused() {
        String name = "t".repeat(30) + "\u00e9".repeat(17);   // 64 bytes in UTF-8, 47 characters
        List<String> problems = assertRefused(lifecycle, db, "02_long", """
                operations:
                  - create_table:
                      name: %s
                      columns: [{name: id, type: integer, pk: true}]
                """.formatted(name));
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).contains("\"" + name + "\"", "64 bytes", "at most 63");
    }

    @Test
    void everyProblemOfAFileIsReportedTogether() {
        assertThat(assertRefused(lifecycle, db, "02_two_problems", """
                operations:
                  - drop_table: {name: suppliers}
                  - create_table:
                      name: customers
                      columns: [{name: id, type: integer, pk: true}]
                """)).containsExactly(
                "operation 1 (drop_table): table \"suppliers\" does not exist (tables: \"customers\")",
                "operation 2 (create_table): a table or index named \"customers\" already exists; choose another name");
    }
}
