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

    /** The usual case before a backfill: rows loaded moments ago, so reltuples says nothing yet (-1). */
    @Test
    void aSmallTableNeverAnalyzedIsCounted() throws Exception {
        db.execute("CREATE TABLE public.products (id serial PRIMARY KEY, name text, price integer) WITH (autovacuum_enabled = off)",
                "INSERT INTO public.products (name, price) SELECT 'p' || n, n FROM generate_series(1, 50000) n");
        try (Connection connection = db.connect()) {
            assertThat(TableStatistics.estimatedRows(connection, PRODUCTS)).isEqualTo(50_000L);
        }
    }

    /** By hand, the planner's guess from column types came to 58% of a table like this; a sample of ~1,000 pages is close. */
    @Test
    void aLargerTableNeverAnalyzedIsCountedOnASampleOfItsPages() throws Exception {
        db.execute("CREATE TABLE public.products (id serial PRIMARY KEY, name text, price integer) WITH (autovacuum_enabled = off)",
                "INSERT INTO public.products (name, price) SELECT 'p' || n, n FROM generate_series(1, 400000) n");
        try (Connection connection = db.connect()) {
            assertThat(db.queryString("SELECT pg_relation_size('public.products') / 8192 > 1000")).as("more pages than the sample")
                    .isEqualTo("t");
            assertThat(TableStatistics.estimatedRows(connection, PRODUCTS)).isBetween(380_000L, 420_000L);
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

    /** 100,000 rows rewritten three times: the planner's estimate came to about 400,000. */
    @Test
    void aBloatedTableCountsOnlyItsLiveRows() throws Exception {
        db.execute("CREATE TABLE public.products (id serial PRIMARY KEY, name text, price integer) WITH (autovacuum_enabled = off)",
                "INSERT INTO public.products (name, price) SELECT 'product ' || n, n FROM generate_series(1, 100000) n",
                "ANALYZE public.products",
                "UPDATE public.products SET price = price + 1", "UPDATE public.products SET price = price + 1",
                "UPDATE public.products SET price = price + 1");
        try (Connection connection = db.connect()) {
            assertThat(db.queryString("SELECT (pg_relation_size('public.products') / 8192) > 3 * relpages FROM pg_class "
                    + "WHERE oid = 'public.products'::regclass")).as("the table holds three times its pages in dead rows").isEqualTo("t");
            assertThat(TableStatistics.estimatedRows(connection, PRODUCTS)).isBetween(90_000L, 110_000L);
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
