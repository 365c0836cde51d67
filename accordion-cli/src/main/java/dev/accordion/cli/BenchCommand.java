package dev.accordion.cli;

import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.bench.BenchReport;
import dev.accordion.bench.BenchServer;
import dev.accordion.bench.BenchSettings;
import dev.accordion.bench.Measurement;
import dev.accordion.bench.PriceChangeBench;
import dev.accordion.execute.BackfillPolicy;
import dev.accordion.postgres.PostgresUrls;
import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

@Command(name = "bench", sortOptions = false, description = {
    "Measure the price change (integer cents to numeric(10,2) dollars) against plain PostgreSQL: the backfill, and "
            + "bulk UPDATEs of an unrelated and of the migrated column while the migration is active. Prints "
            + "throughput ratios (1.0 = as fast as plain PostgreSQL), the median of several rounds.",
    "Runs on an embedded PostgreSQL unless --url names a database; there it creates (and first drops) the schemas "
            + "accordion_bench, accordion_bench_plain, accordion_bench_state and accordion_bench_00_products, "
            + "accordion_bench_01_price_in_dollars, and drops them at the end. " + GlobalOptions.URL_VARIABLE
            + " is not used, so that the benchmark never touches a database by accident."})
final class BenchCommand extends Subcommand implements TextOnly {

    @Option(names = "--rows", paramLabel = "<n>", defaultValue = "" + BenchSettings.DEFAULT_ROWS,
            description = "Rows in the products table (default: ${DEFAULT-VALUE}).")
    private long rows;

    @Option(names = "--rounds", paramLabel = "<n>", defaultValue = "" + BenchSettings.DEFAULT_ROUNDS,
            description = "Rounds to measure, each on fresh tables; the report gives their median (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(names = "--fillfactor", paramLabel = "<percent>", defaultValue = "" + BenchSettings.DEFAULT_FILLFACTOR,
            description = "The fillfactor of both tables (default: ${DEFAULT-VALUE}, PostgreSQL's own).")
    private int fillfactor;

    /** What the options ask for; a value out of range is a usage error naming the option. */
    BenchSettings settings() {
        BackfillPolicy backfill = options().backfillPolicy();
        try {
            return new BenchSettings(rows, rounds, fillfactor, backfill);
        } catch (IllegalArgumentException e) {
            throw new AccordionException(ErrorCode.USAGE, e.getMessage());
        }
    }

    @Override
    public String whyTextOnly() {
        return "it prints a report of measurements for people to read (docs/benchmarks.md holds them)";
    }

    @Override
    public Integer call() throws Exception {
        BenchSettings settings = settings();
        String url = options().urlOption();
        if (url == null) {
            err().println("starting an embedded PostgreSQL (the first run unpacks it, which takes a few seconds)...");
        }
        try (BenchServer server = url == null ? BenchServer.embedded() : BenchServer.at(benchUrl(url))) {
            PriceChangeBench bench = new PriceChangeBench(server, settings, err());
            String version = bench.serverVersion();
            BenchReport report = bench.run();
            out().printf(Locale.ROOT, "Accordion bench: price change on %,d rows, %d round%s, fillfactor %d, backfill batches %s%n",
                    settings.rows(), settings.rounds(), settings.rounds() == 1 ? "" : "s", settings.fillfactor(),
                    batchPolicy(settings.backfill()));
            out().println("server: " + server.description() + ": " + version);
            out().println("client machine: " + machine());
            out().println();
            report.print(out());
            out().println();
            for (Measurement m : Measurement.values()) {
                out().printf(Locale.ROOT, "%-24s %s%n", m.label(), m.description());
            }
        } catch (SQLException e) {
            throw new AccordionException(ErrorCode.DATABASE, "the benchmark's SQL failed: " + e.getMessage().strip(), e);
        }
        return ExitCodes.SUCCESS;
    }

    /** The URL, named so that pg_stat_activity shows the benchmark's sessions for what they are. */
    private static String benchUrl(String url) {
        String jdbc = PostgresUrls.toJdbc(url);
        return PostgresUrls.parameter(jdbc, "ApplicationName").isPresent()
                ? jdbc : PostgresUrls.withParameter(jdbc, "ApplicationName", "accordion-bench");
    }

    /**
     * The bench's own words for the shared {@code --url}: without it the bench starts an embedded PostgreSQL, never
     * the database of the environment variable that every other command falls back on.
     */
    static void describeUrl(CommandLine bench) {
        CommandSpec spec = bench.getCommandSpec();
        OptionSpec shared = spec.findOption("--url");
        spec.remove(shared);
        spec.addOption(OptionSpec.builder(shared).description("The database to measure on: jdbc:postgresql://host:5432/db?user=... "
                + "or postgres://user:password@host:5432/db. Default: an embedded PostgreSQL; " + GlobalOptions.URL_VARIABLE
                + " is not used.").build());
    }

    static String batchPolicy(BackfillPolicy policy) {
        String size = policy.fixedBatchSize().isPresent()
                ? "of " + policy.fixedBatchSize().getAsInt() + " rows"
                : "sized toward " + policy.targetBatch().toMillis() + " ms";
        return size + (policy.workers() == 1 ? "" : ", each cut among " + policy.workers() + " workers");
    }

    private static String machine() {
        String memory = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? String.format(Locale.ROOT, ", %.1f GiB RAM", os.getTotalMemorySize() / (1024.0 * 1024 * 1024)) : "";
        return Runtime.getRuntime().availableProcessors() + " cores" + memory + ", " + System.getProperty("os.name")
                + " " + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version");
    }
}
