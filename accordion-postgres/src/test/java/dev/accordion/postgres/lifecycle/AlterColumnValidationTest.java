package dev.accordion.postgres.lifecycle;

import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.assertRefused;

import dev.accordion.ErrorCode;
import dev.accordion.postgres.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * alter_column expressions that cannot work are refused at start, before anything changes, with a message naming the
 * expression and PostgreSQL's error.
 */
class AlterColumnValidationTest {

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private Lifecycle lifecycle;

    @BeforeEach
    void items() {
        lifecycle = new Lifecycle(db);
        lifecycle.given("01_items", """
                operations:
                  - create_table:
                      name: items
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: name, type: text}
                        - {name: qty, type: integer, nullable: true}
                """);
    }

    @Test
    void upNamingAnUnknownColumnIsRefused() {
        assertRefused(db, lifecycle, "02_bad", """
                operations:
                  - alter_column: {table: items, column: qty, type: bigint, up: quantity * 2}
                """, ErrorCode.INVALID_MIGRATION, "up (quantity * 2)", "column \"quantity\" does not exist");
    }

    @Test
    void upOfTheWrongTypeIsRefused() {
        assertRefused(db, lifecycle, "02_bad", """
                operations:
                  - alter_column: {table: items, column: qty, type: "integer[]", up: "name || '!'"}
                """, ErrorCode.INVALID_MIGRATION, "up (name || '!')", "column \"qty\" is of type integer[] but expression is of type text");
    }

    @Test
    void downThatCannotGiveTheOldTypeIsRefused() {
        assertRefused(db, lifecycle, "02_bad", """
                operations:
                  - alter_column: {table: items, column: qty, type: text, up: qty::text, down: qty > 0}
                """, ErrorCode.INVALID_MIGRATION, "down (qty > 0)", "operator does not exist: text > integer");
    }

    @Test
    void checkNamingAnUnknownColumnIsRefused() {
        assertRefused(db, lifecycle, "02_bad", """
                operations:
                  - alter_column:
                      table: items
                      column: qty
                      check: {name: items_qty_check, constraint: amount > 0}
                """, ErrorCode.INVALID_MIGRATION, "check (amount > 0)", "column \"amount\" does not exist");
    }
}
