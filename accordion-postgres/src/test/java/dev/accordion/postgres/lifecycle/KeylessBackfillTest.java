package dev.accordion.postgres.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.postgres.testing.TestDatabase;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A table with no primary key and no unique NOT NULL index is backfilled by page, then swept. */
class KeylessBackfillTest {

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @Test
    void everyRowOfAKeylessTableIsFilled() throws Exception {
        Lifecycle lifecycle = new Lifecycle(db);
        lifecycle.given("01_events", """
                operations:
                  - create_table:
                      name: events
                      columns:
                        - {name: at, type: timestamptz, nullable: true}
                        - {name: amount_cents, type: integer}
                """);
        db.execute("INSERT INTO public.events (at, amount_cents) SELECT now(), n FROM generate_series(1, 5000) n",
                "ANALYZE public.events");

        lifecycle.run("02_amount", """
                operations:
                  - alter_column:
                      table: events
                      column: amount_cents
                      name: amount
                      type: numeric(12,2)
                      up: amount_cents / 100.0
                      down: (amount * 100)::integer
                """,
                (v1, v2) -> {
                    assertThat(v2.rows("SELECT count(*) AS n, sum(amount) AS total FROM events"))
                            .containsExactly(Map.of("n", 5000L, "total", new java.math.BigDecimal("125025.00")));
                    v2.execute("INSERT INTO events (amount) VALUES (1.5)");
                    assertThat(v1.rows("SELECT amount_cents FROM events WHERE amount_cents = 150")).hasSize(2);
                    v1.execute("DELETE FROM events WHERE at IS NULL");
                },
                (v1, v2) -> assertThat(v1.columns("events")).containsExactly("at", "amount_cents"),
                (v1, v2) -> assertThat(v2.rows("SELECT sum(amount) AS total FROM events"))
                        .containsExactly(Map.of("total", new java.math.BigDecimal("125025.00"))));
    }
}
