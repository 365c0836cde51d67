package dev.accordion.postgres.golden;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.Accordion;
import dev.accordion.migration.MigrationReader;
import dev.accordion.plan.PlanText;
import dev.accordion.postgres.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden plans (DESIGN §7): for each case, the scene below is created on a fresh database and
 * adopted with {@code baseline}, then the case's migration is planned and rendered as
 * {@code accordion plan} prints it ({@link PlanText#render}); the text must equal
 * {@code src/test/resources/golden/<case>.plan}, so that every change to the SQL of a step shows up
 * as a diff of that file in review.
 *
 * <p>After an intended change, regenerate the files with
 * {@code mvn -B -o -pl accordion-postgres -am verify -Dtest=GoldenPlanTest -Dsurefire.failIfNoSpecifiedTests=false -Daccordion.golden.update=true}
 * and review the diff before committing it. The plans hold no database name, time or random value;
 * they assume PostgreSQL 15 or newer (views get {@code security_invoker}).
 */
class GoldenPlanTest {

    private static final boolean UPDATE = Boolean.getBoolean("accordion.golden.update");
    private static final Path GOLDEN = Path.of(System.getProperty("basedir", "."), "src", "test", "resources", "golden");

    /** One scene for every case: customers, their orders, and a lookup table orders do not reference yet. */
    private static final String SCENE = """
            CREATE TABLE customers (
              id serial PRIMARY KEY,
              email text NOT NULL CONSTRAINT customers_email_key UNIQUE,
              name text,
              CONSTRAINT customers_name_check CHECK (name <> '')
            );
            CREATE TABLE orders (
              id bigserial PRIMARY KEY,
              customer_id integer REFERENCES customers (id),
              total numeric(10,2) NOT NULL DEFAULT 0
            );
            CREATE INDEX orders_customer_id_idx ON orders (customer_id);
            CREATE TABLE currencies (
              id smallint PRIMARY KEY,
              code text NOT NULL
            );
            """;

    record Case(String name, String migration) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("create_table", """
                        operations:
                          - create_table:
                              name: invoices
                              comment: one per order
                              columns:
                                - {name: id, type: bigint, pk: true, generated: {identity: {user_specified_values: ALWAYS}}}
                                - name: order_id
                                  type: bigint
                                  references: {name: invoices_order_fk, table: orders, column: id, on_delete: CASCADE}
                                - {name: number, type: text, unique: true}
                                - name: amount
                                  type: numeric(10,2)
                                  default: "0"
                                  check: {name: invoices_amount_positive, constraint: amount >= 0}
                                - {name: note, type: text, nullable: true, comment: "free text, the customer's"}
                              constraints:
                                - {name: invoices_order_number_key, type: unique, columns: [order_id, number]}
                                - {name: invoices_note_check, type: check, check: "note <> ''"}
                        """),
                new Case("drop_table", """
                        operations:
                          - drop_table: {name: orders}
                        """),
                new Case("rename_table", """
                        operations:
                          - rename_table: {from: customers, to: clients}
                        """),
                new Case("rename_column", """
                        operations:
                          - rename_column: {table: customers, from: name, to: full_name}
                        """),
                new Case("add_column", """
                        operations:
                          - add_column:
                              table: orders
                              column:
                                name: currency_id
                                type: smallint
                                default: "1"
                                check: {name: orders_currency_id_check, constraint: currency_id > 0}
                                references: {name: orders_currency_fk, table: currencies, column: id}
                                comment: ISO 4217 numeric code
                        """),
                new Case("add_column_unique", """
                        operations:
                          - add_column:
                              table: customers
                              column: {name: phone, type: text, nullable: true, unique: true}
                        """),
                new Case("drop_column", """
                        operations:
                          - drop_column: {table: orders, column: customer_id}
                        """),
                new Case("create_index", """
                        operations:
                          - create_index:
                              table: customers
                              name: customers_name_email_idx
                              method: btree
                              unique: true
                              columns:
                                - {column: name, collate: C, opclass: {name: text_pattern_ops}, sort: DESC, nulls: LAST}
                                - {column: email}
                              predicate: name IS NOT NULL
                              storage_parameters: fillfactor = 80
                          - create_index:
                              table: orders
                              name: orders_total_brin
                              method: brin
                              columns:
                                - {column: total, opclass: {name: numeric_minmax_multi_ops, params: {values_per_range: "32"}}}
                        """),
                new Case("drop_index", """
                        operations:
                          - drop_index: {name: orders_customer_id_idx}
                        """),
                new Case("rename_constraint", """
                        operations:
                          - rename_constraint: {table: customers, from: customers_name_check, to: customers_name_not_empty}
                        """),
                new Case("set_replica_identity", """
                        operations:
                          - set_replica_identity: {table: customers, identity: {type: index, index: customers_email_key}}
                        """),
                new Case("sql_with_down", """
                        operations:
                          - sql:
                              up: CREATE TABLE audit_log (id bigserial PRIMARY KEY, entry text NOT NULL)
                              down: DROP TABLE audit_log
                        """),
                new Case("sql_on_complete", """
                        operations:
                          - sql:
                              up: COMMENT ON TABLE orders IS 'archived yearly'
                              onComplete: true
                        """),
                new Case("split_table", """
                        operations:
                          - split_table:
                              table: customers
                              into: customer_names
                              key: customer_id
                              columns:
                                name: display_name
                        """),
                new Case("alter_column_type", """
                        operations:
                          - alter_column:
                              table: orders
                              column: total
                              type: bigint
                              up: (total * 100)::bigint
                              down: total / 100.0
                        """),
                new Case("alter_column_nullable", """
                        operations:
                          - alter_column:
                              table: currencies
                              column: code
                              nullable: true
                              down: coalesce(code, 'XXX')
                        """),
                new Case("alter_column_unique", """
                        operations:
                          - alter_column: {table: currencies, column: code, unique: {name: currencies_code_key}}
                        """),
                new Case("alter_column_primary_key", """
                        operations:
                          - alter_column: {table: customers, column: id, type: bigint}
                        """),
                new Case("alter_column_carried_check_not_null", """
                        operations:
                          - alter_column:
                              table: customers
                              column: name
                              nullable: false
                              up: coalesce(name, 'unknown')
                        """),
                new Case("alter_column_twice", """
                        operations:
                          - alter_column: {table: orders, column: total, name: amount, type: bigint, up: (total * 100)::bigint, down: amount / 100.0}
                          - alter_column: {table: orders, column: amount, default: "100", up: amount + 1, down: amount - 1}
                        """),
                new Case("rename_column_then_index_it", """
                        operations:
                          - rename_column: {table: customers, from: name, to: full_name}
                          - create_index: {table: customers, name: customers_full_name_idx, columns: [full_name]}
                        """),
                new Case("create_constraint_check", """
                        operations:
                          - create_constraint:
                              type: check
                              table: currencies
                              name: currencies_code_length
                              columns: [code]
                              check: length(code) = 3
                              up: {code: "rpad(code, 3, '?')"}
                        """),
                new Case("create_constraint_unique", """
                        operations:
                          - create_constraint:
                              type: unique
                              table: currencies
                              name: currencies_code_key
                              columns: [code]
                              up: {code: "code || '-' || id"}
                        """),
                new Case("drop_constraint", """
                        operations:
                          - drop_constraint:
                              table: customers
                              name: customers_name_check
                              down: "CASE WHEN name = '' THEN 'unknown' ELSE name END"
                        """));
    }

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void planMatchesItsGoldenFile(Case golden) throws IOException {
        db.execute(SCENE);
        Accordion accordion = Accordion.configure().clientWatch(java.time.Duration.ZERO).connections(db::connect).load();
        accordion.baseline("00_scene");

        String plan = PlanText.render(accordion.plan(MigrationReader.parseYaml("01_" + golden.name(), golden.migration())));

        Path file = GOLDEN.resolve(golden.name() + ".plan");
        if (UPDATE) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, plan, StandardCharsets.UTF_8);
            return;
        }
        assertThat(file).as("golden file %s; create it with -Daccordion.golden.update=true", file).exists();
        String expected = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(plan).as("plan of case %s differs from %s %s (after an intended change: -Daccordion.golden.update=true)",
                golden, file, firstDifference(expected, plan)).isEqualTo(expected);
    }

    /** Where two texts part, line by line, so that a mismatch is found without reading both plans whole. */
    private static String firstDifference(String expected, String actual) {
        String[] want = expected.split("\n", -1);
        String[] got = actual.split("\n", -1);
        for (int line = 0; line < Math.min(want.length, got.length); line++) {
            if (!want[line].equals(got[line])) {
                return "at line " + (line + 1) + ":\n  expected: " + want[line].strip() + "\n  actual:   " + got[line].strip() + "\n";
            }
        }
        return "in length: " + want.length + " lines expected, " + got.length + " actual\n";
    }
}
