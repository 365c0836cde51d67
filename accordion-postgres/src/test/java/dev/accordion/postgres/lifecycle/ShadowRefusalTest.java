package dev.accordion.postgres.lifecycle;

import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.assertRefused;

import dev.accordion.ErrorCode;
import dev.accordion.postgres.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What no shadow column can take over yet is refused before anything changes, by alter_column and by the constraint
 * operations alike, with a message that names the column and the object and says what to do.
 */
class ShadowRefusalTest {

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private Lifecycle lifecycle;

    @BeforeEach
    void bookingsWithAnIdentityAndAnExclusion() {
        lifecycle = new Lifecycle(db);
        db.execute("CREATE TABLE public.bookings (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, room integer, "
                + "during int4range, CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&))");
        lifecycle.accordion().baseline("01_bookings");
    }

    @Test
    void alterColumnOfAnIdentityColumnIsRefused() {
        assertRefused(db, lifecycle, "02_bigint_id", """
                operations:
                  - alter_column: {table: bookings, column: id, type: bigint, up: id, down: id}
                """, ErrorCode.INVALID_MIGRATION, "alter_column of \"bookings\".\"id\"", "column \"id\" is an identity or generated column");
    }

    @Test
    void alterColumnOfAColumnOfAnExclusionConstraintIsRefused() {
        assertRefused(db, lifecycle, "02_during", """
                operations:
                  - alter_column: {table: bookings, column: during, nullable: false, up: "coalesce(during, 'empty')"}
                """, ErrorCode.INVALID_MIGRATION, "column \"during\" is part of exclusion constraint \"no_overlap\"", "drop it first");
    }

    @Test
    void constraintOperationOnAColumnOfAnExclusionConstraintIsRefused() {
        assertRefused(db, lifecycle, "02_during_check", """
                operations:
                  - create_constraint:
                      type: check
                      table: bookings
                      name: during_bounded
                      columns: [during]
                      check: NOT upper_inf(during)
                """, ErrorCode.INVALID_MIGRATION, "create_constraint \"during_bounded\" on \"bookings\"",
                "column \"during\" is part of exclusion constraint \"no_overlap\"");
    }
}
