package dev.accordion.bench;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.Accordion;
import dev.accordion.migration.Migration;
import dev.accordion.migration.MigrationReader;
import dev.accordion.postgres.GeneratedNames;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.Literal;
import dev.accordion.sql.QualifiedName;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark of issue 3: the seed's price change ({@code products.price} integer cents to numeric(10,2) dollars)
 * on Accordion's table, against the same statements on a copy with the same columns and indexes and no trigger.
 *
 * <p>Each round starts from fresh tables: {@value #SCHEMA}.products for Accordion (adopted with a baseline) and
 * {@value #PLAIN_SCHEMA}.products for plain PostgreSQL, filled alike. Both get {@code VACUUM ANALYZE} and a
 * {@code CHECKPOINT} before anything is timed, so neither side pays for the other's dirty pages. Then:
 * <ol>
 *   <li>backfill: {@code accordion start} of the price change, timed over its backfill step only (the executor's
 *       stepStarted/stepFinished), against one {@code UPDATE ... SET _acc_new_price = price / 100.0} on the copy,
 *       which has the same two extra columns, added the same way (nullable, after the rows);</li>
 *   <li>with the migration active, {@code UPDATE products SET name = name || 'x'} through the old version's schema
 *       against the same on the copy;</li>
 *   <li>{@code UPDATE products SET price = price + 1} through the old version (the trigger computes the new price)
 *       against the same on the copy.</li>
 * </ol>
 * Which side goes first alternates between rounds. The benchmark drops its schemas before each round and at the end.
 */
public final class PriceChangeBench {

    static final String SCHEMA = "accordion_bench";
    static final String PLAIN_SCHEMA = "accordion_bench_plain";
    static final String STATE_SCHEMA = "accordion_bench_state";
    private static final String BASELINE = "00_products";
    private static final String MIGRATION = "01_price_in_dollars";
    private static final String PRICE_IN_DOLLARS = """
            operations:
              - alter_column:
                  table: products
                  column: price
                  type: numeric(10,2)
                  up: price / 100.0
                  down: (price * 100)::integer
            """;

    private static final QualifiedName ACCORDION_TABLE = QualifiedName.of(SCHEMA, "products");
    private static final QualifiedName PLAIN_TABLE = QualifiedName.of(PLAIN_SCHEMA, "products");

    private final BenchServer server;
    private final BenchSettings settings;
    private final PrintWriter log;

    /** @param log where progress goes (stderr) */
    public PriceChangeBench(BenchServer server, BenchSettings settings, PrintWriter log) {
        this.server = server;
        this.settings = settings;
        this.log = log;
    }

    /** The schemas the benchmark owns in the database: its tables', its state's and the two version schemas. */
    static List<Identifier> ownSchemas() {
        Identifier schema = Identifier.of(SCHEMA);
        return List.of(GeneratedNames.versionSchema(schema, MIGRATION), GeneratedNames.versionSchema(schema, BASELINE),
                schema, Identifier.of(PLAIN_SCHEMA), Identifier.of(STATE_SCHEMA));
    }

    /** {@code SELECT version()} of the server. */
    public String serverVersion() throws SQLException {
        try (Connection admin = connect(); Statement statement = admin.createStatement();
             ResultSet rs = statement.executeQuery("SELECT version()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    public BenchReport run() throws SQLException {
        BenchReport report = new BenchReport();
        try {
            for (int round = 1; round <= settings.rounds(); round++) {
                boolean plainFirst = round % 2 == 1;
                log.printf(Locale.ROOT, "round %d of %d (%s first)%n", round, settings.rounds(), plainFirst ? "plain" : "accordion");
                report.add(round(plainFirst));
            }
        } finally {
            dropSchemas();
        }
        return report;
    }

    private Map<Measurement, Timing> round(boolean plainFirst) throws SQLException {
        Map<Measurement, Timing> timings = new EnumMap<>(Measurement.class);
        dropSchemas();
        try (Connection admin = connect()) {
            createAndFill(admin, ACCORDION_TABLE);
            createAndFill(admin, PLAIN_TABLE);
            BackfillTimer backfill = new BackfillTimer();
            Accordion accordion = Accordion.configure()
                    .connections(this::connect)
                    .schema(SCHEMA)
                    .stateSchema(STATE_SCHEMA)
                    .backfillPolicy(settings.backfill())
                    .listener(backfill)
                    .load();
            String oldVersion = accordion.baseline(BASELINE).versionSchema().orElseThrow();
            vacuumAnalyze(admin);
            // the copy gets the columns start adds (shadow, then flag) the way start adds them: nullable, after the rows
            execute(admin, SQL.format("ALTER TABLE {} ADD COLUMN _acc_new_price numeric(10,2)", PLAIN_TABLE));
            execute(admin, SQL.format("ALTER TABLE {} ADD COLUMN _acc_synced boolean", PLAIN_TABLE));

            Migration migration = MigrationReader.parseYaml(MIGRATION, PRICE_IN_DOLLARS);
            Timing backfillTiming = inOrder(plainFirst,
                    () -> {
                        checkpoint(admin);
                        accordion.start(migration, false);
                        if (backfill.took().isZero()) {
                            throw new IllegalStateException("start ran no backfill step; the plan changed under the benchmark");
                        }
                        return backfill.took();
                    },
                    () -> {
                        checkpoint(admin);
                        return timed(admin, SQL.format("UPDATE {} SET _acc_new_price = price / 100.0", PLAIN_TABLE));
                    });
            timings.put(Measurement.BACKFILL, backfillTiming);
            log.printf(Locale.ROOT, "  backfill: %d rows in %d batches; %s%n", backfill.rows(), backfill.batches(), line(backfillTiming));
            expectNewPricesMatch(admin, ACCORDION_TABLE);
            expectNewPricesMatch(admin, PLAIN_TABLE);

            try (Connection v1 = connect(); Connection plain = connect()) {
                execute(v1, SQL.format("SET search_path TO {}", Identifier.of(oldVersion)));
                execute(plain, SQL.format("SET search_path TO {}", Identifier.of(PLAIN_SCHEMA)));
                timings.put(Measurement.UNRELATED_COLUMN, bulkUpdate(admin, v1, plain, plainFirst, "UPDATE products SET name = name || 'x'"));
                log.printf(Locale.ROOT, "  unrelated column: %s%n", line(timings.get(Measurement.UNRELATED_COLUMN)));
                timings.put(Measurement.MIGRATED_COLUMN, bulkUpdate(admin, v1, plain, plainFirst, "UPDATE products SET price = price + 1"));
                log.printf(Locale.ROOT, "  migrated column: %s%n", line(timings.get(Measurement.MIGRATED_COLUMN)));
            }
            expectNewPricesMatch(admin, ACCORDION_TABLE);
        }
        return timings;
    }

    private Timing bulkUpdate(Connection admin, Connection v1, Connection plain, boolean plainFirst, String update) throws SQLException {
        vacuumAnalyze(admin);
        return inOrder(plainFirst,
                () -> {
                    checkpoint(admin);
                    return timed(v1, update);
                },
                () -> {
                    checkpoint(admin);
                    return timed(plain, update);
                });
    }

    private void createAndFill(Connection admin, QualifiedName table) throws SQLException {
        execute(admin, SQL.format("CREATE SCHEMA {}", table.schema()));
        execute(admin, SQL.format("CREATE TABLE {} (id serial PRIMARY KEY, name text, price integer) WITH (fillfactor = "
                + settings.fillfactor() + ")", table));
        // prices stay below 100,000.00 dollars, so numeric(10,2) holds them for any row count
        execute(admin, SQL.format("INSERT INTO {} (id, name, price) SELECT n, 'product ' || n, (n % 100000) * 100 + 99 "
                + "FROM generate_series(1, " + settings.rows() + ") AS n", table));
        execute(admin, SQL.format("SELECT setval(pg_get_serial_sequence({}, 'id'), " + settings.rows() + ")",
                Literal.of(SQL.quote(table))));
    }

    private void vacuumAnalyze(Connection admin) throws SQLException {
        execute(admin, SQL.format("VACUUM ANALYZE {}", ACCORDION_TABLE));
        execute(admin, SQL.format("VACUUM ANALYZE {}", PLAIN_TABLE));
    }

    /** Writes out every dirty page now, so that the timed statement that follows does not pay for earlier work. */
    private static void checkpoint(Connection admin) throws SQLException {
        execute(admin, "CHECKPOINT");
    }

    /** The benchmark's own check that both sides did the work: every row's new price is its price in dollars. */
    private static void expectNewPricesMatch(Connection admin, QualifiedName table) throws SQLException {
        long wrong = count(admin, SQL.format("SELECT count(*) FROM {} WHERE _acc_new_price IS DISTINCT FROM price / 100.0", table));
        if (wrong != 0) {
            throw new IllegalStateException(wrong + " rows of " + SQL.quote(table) + " have a wrong or missing _acc_new_price");
        }
    }

    private void dropSchemas() throws SQLException {
        try (Connection admin = connect()) {
            for (Identifier schema : ownSchemas()) {
                execute(admin, SQL.format("DROP SCHEMA IF EXISTS {} CASCADE", schema));
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl());
    }

    private static Timing inOrder(boolean plainFirst, Timed accordion, Timed plain) throws SQLException {
        Duration plainTook;
        Duration accordionTook;
        if (plainFirst) {
            plainTook = plain.run();
            accordionTook = accordion.run();
        } else {
            accordionTook = accordion.run();
            plainTook = plain.run();
        }
        return new Timing(accordionTook, plainTook);
    }

    private static Duration timed(Connection connection, String sql) throws SQLException {
        long started = System.nanoTime();
        execute(connection, sql);
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String line(Timing timing) {
        return String.format(Locale.ROOT, "accordion %s, plain %s, ratio %.2f",
                BenchReport.seconds(timing.accordion()), BenchReport.seconds(timing.plain()), timing.ratio());
    }

    @FunctionalInterface
    private interface Timed {
        Duration run() throws SQLException;
    }
}
