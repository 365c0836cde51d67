package dev.accordion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.ErrorCode;
import dev.accordion.bench.BenchSettings;
import dev.accordion.execute.BackfillPolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code accordion bench}'s options, without running the benchmark: defaults, values, and refusals. */
class BenchCommandTest {

    @Test
    void withoutOptionsItMeasuresAMillionRowsInFiveRoundsAtPostgresDefaultFillfactor() {
        BenchSettings settings = parse("bench");

        assertThat(settings).isEqualTo(new BenchSettings(1_000_000, 5, 100, BackfillPolicy.DEFAULT));
    }

    @Test
    void rowsRoundsFillfactorAndTheBackfillOptionsAreTakenAsGiven() {
        BenchSettings settings = parse("bench", "--rows", "20000", "--rounds", "3", "--fillfactor", "80",
                "--backfill-batch-size", "5000");

        assertThat(settings).isEqualTo(new BenchSettings(20_000, 3, 80,
                new BackfillPolicy(Duration.ofMillis(200), OptionalInt.of(5000))));
        assertThat(parse("--backfill-batch-ms", "50", "bench").backfill().targetBatch()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void zeroRowsIsAUsageErrorNamingTheOption() {
        CliRun run = CliRun.run("bench", "--rows", "0");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ErrorCode.USAGE.exitCode());
        assertThat(run.err()).contains("--rows must be at least 1, not 0");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aFillfactorOutOfRangeIsAUsageError() {
        CliRun run = CliRun.run("bench", "--fillfactor", "5");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ErrorCode.USAGE.exitCode());
        assertThat(run.err()).contains("--fillfactor must be between 10 and 100").contains("not 5");
    }

    @Test
    void rowsThatAreNotANumberAreAUsageError() {
        CliRun run = CliRun.run("bench", "--rows", "many");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ErrorCode.USAGE.exitCode());
        assertThat(run.err()).contains("--rows").contains("many");
    }

    @Test
    void helpListsBenchAndItsOptions() {
        assertThat(CliRun.run("--help").out()).containsPattern("(?m)^  bench ");
        CliRun help = CliRun.run("bench", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out().replaceAll("\\s+", " ")).contains("--url=<url> The database to measure on:")
                .contains("Default: an embedded PostgreSQL; ACCORDION_URL is not used.")
                .doesNotContain("Default: the environment variable ACCORDION_URL");
        assertThat(help.out()).contains("--rows=<n>").contains("--rounds=<n>").contains("--fillfactor=<percent>")
                .contains("accordion_bench_plain");
    }

    @Test
    void batchPolicyIsDescribedAsFixedOrAdaptive() {
        assertThat(BenchCommand.batchPolicy(BackfillPolicy.DEFAULT)).isEqualTo("sized toward 200 ms");
        assertThat(BenchCommand.batchPolicy(BackfillPolicy.DEFAULT.withFixedBatchSize(1000))).isEqualTo("of 1000 rows");
        assertThat(BenchCommand.batchPolicy(BackfillPolicy.DEFAULT.withWorkers(2))).isEqualTo("sized toward 200 ms, each cut among 2 workers");
    }

    private static BenchSettings parse(String... args) {
        StringWriter sink = new StringWriter();
        CommandLine commandLine = Main.commandLine(Map.of(), new PrintWriter(sink), new PrintWriter(sink));
        CommandLine.ParseResult parsed = commandLine.parseArgs(args);
        return ((BenchCommand) parsed.subcommand().commandSpec().userObject()).settings();
    }
}
