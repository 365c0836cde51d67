package dev.accordion.postgres.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.postgres.testing.TestDatabase;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.QualifiedName;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A backfill's estimated total: what its progress, percent and time left are measured against. */
class TableStatisticsTest {

    private static final QualifiedName PRODUCTS = new QualifiedName(Identifier.of("public"), Identifier.of("products"));

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    /** The usual case before a backfill: rows loaded moments ago, so reltuples says nothing yet (-1) or far too little. */
    @Test
    void aTableFilledAndNeverAnalyzedIsEstimatedFromItsSize() throws Exception {
        db.execute("CREATE TABLE public.products (id serial PRIMARY KEY, name text, price integer) WITH (autovacuum_enabled = off)",
                "INSERT INTO public.products (name, price) SELECT 'product ' || n, n FROM generate_series(1, 50000) n");
        try (Connection connection = db.connect()) {
            assertThat(TableStatistics.estimatedRows(connection, PRODUCTS)).isBetween(25_000L, 75_000L); // a guess from the row width, not a count
        }
    }

    @Test
    void anAnalyzedTableThatGrewSinceIsScaledToItsSizeNow() throws Exception {
        db.execute("CREATE TABLE public.products (id serial PRIMARY KEY, name text, price integer) WITH (autovacuum_enabled = off)",
                "INSERT INTO public.products (name, price) SELECT 'product ' || n, n FROM generate_series(1, 10000) n",
                "ANALYZE public.products",
                "INSERT INTO public.products (name, price) SELECT 'product ' || n, n FROM generate_series(1, 30000) n");
        try (Connection connection = db.connect()) {
            assertThat(TableStatistics.estimatedRows(connection, PRODUCTS)).isBetween(36_000L, 44_000L);
        }
    }

    @Test
    void anEmptyTableHasNoRowsToEstimate() throws Exception {
        db.execute("CREATE TABLE public.products (id serial PRIMARY KEY) WITH (autovacuum_enabled = off)", "ANALYZE public.products");
        try (Connection connection = db.connect()) {
            assertThat(TableStatistics.estimatedRows(connection, PRODUCTS)).isLessThan(3_000L);
        }
    }
}
