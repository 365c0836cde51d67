package dev.accordion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accordion.ErrorCode;
import dev.accordion.execute.BackfillPolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line without a database: parsing, help, and every failure that happens before or while connecting. */
class CommandLineTest {

    private static final String CREATE_USERS = """
            operations:
              - create_table:
                  name: users
                  columns:
                    - name: id
                      type: serial
                      pk: true
            """;

    /** Nothing listens on port 1, so connecting fails at once with "connection refused". */
    private static final String UNREACHABLE = "jdbc:postgresql://127.0.0.1:1/x";

    private static final String MALFORMED_YAML = """
            operations:
              - rename_column:
                  table: users
                  form: name
                  to: full_name
            """;

    @TempDir
    Path dir;

    @Test
    void helpListsEveryCommandAndEveryExitCode() {
        CliRun run = CliRun.run("--help");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        for (String command : new String[] {"init", "start", "complete", "rollback", "status", "migrate", "plan", "validate",
                "latest", "baseline", "demo"}) {
            assertThat(run.out()).containsPattern("(?m)^  " + command + " ");
        }
        assertThat(run.out()).contains("Exit codes:").containsPattern("(?m)^  0 +success$");
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(run.out()).containsPattern("(?m)^  " + code.exitCode() + " +" + java.util.regex.Pattern.quote(code.meaning()) + "$");
        }
        assertThat(run.err()).isEmpty();
    }

    @Test
    void helpOfACommandShowsItsOwnOptionsFirstThenTheGlobalOnes() {
        CliRun run = CliRun.run("start", "--help");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("Usage: accordion start [OPTIONS] <file>...\n")
                .containsSubsequence("<file>", "Options:", "--complete", "--resume-recorded",
                        HelpSections.GLOBAL_OPTIONS_HEADING, "--url", "--lock-timeout", "--max-probe-ms");
        String own = run.out().substring(run.out().indexOf("Options:"), run.out().indexOf(HelpSections.GLOBAL_OPTIONS_HEADING));
        assertThat(own).doesNotContain("--url", "--help");
        assertThat(run.out().substring(run.out().indexOf(HelpSections.GLOBAL_OPTIONS_HEADING))).doesNotContain("--complete");
    }

    @Test
    void helpCommandShowsTheHelpOfAccordionOrOfTheCommandGiven() {
        CliRun help = CliRun.run("help");
        CliRun start = CliRun.run("help", "start");
        CliRun latestUrl = CliRun.run("help", "latest", "url");
        CliRun unknown = CliRun.run("help", "strat");

        assertThat(help.exitCode()).as(help.toString()).isZero();
        assertThat(help.out()).isEqualTo(CliRun.run("--help").out()).containsPattern("(?m)^  help ");
        assertThat(start.exitCode()).as(start.toString()).isZero();
        assertThat(start.out()).isEqualTo(CliRun.run("start", "--help").out());
        assertThat(latestUrl.out()).startsWith("Usage: accordion latest url [OPTIONS]").contains("--with-password");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown command 'strat'", "accordion --help");
    }

    @Test
    void latestHelpListsItsSubcommands() {
        CliRun run = CliRun.run("latest", "--help");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).containsPattern("(?m)^  schema ").containsPattern("(?m)^  url ");
    }

    @Test
    void versionNamesTheProjectVersion() {
        CliRun run = CliRun.run("--version");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("accordion ").doesNotContain("unknown version").doesNotContain("${");
    }

    @Test
    void noCommandIsAUsageError() {
        CliRun run = CliRun.run();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("error: give a command", "Usage: accordion");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void unknownCommandIsAUsageErrorWithSuggestions() {
        CliRun run = CliRun.run("stat");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("error: ", "'stat'", "accordion status", "accordion --help");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRun run = CliRun.run("status", "--frobnicate", "--url", UNREACHABLE);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("error: ", "--frobnicate", "accordion status --help");
    }

    @Test
    void latestWithoutWhatIsAUsageError() {
        CliRun run = CliRun.run("latest", "--url", UNREACHABLE);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("subcommand", "accordion latest --help");
    }

    @Test
    void missingUrlSaysBothWaysToGiveIt() {
        CliRun run = CliRun.run("status");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: no database given").contains("--url", "ACCORDION_URL");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void urlComesFromTheEnvironmentWhenNotGiven() {
        CliRun run = CliRun.run(Map.of("ACCORDION_URL", UNREACHABLE), "status");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(5);
        assertThat(run.err()).contains("127.0.0.1:1");
    }

    @Test
    void urlOptionWinsOverTheEnvironment() {
        CliRun run = CliRun.run(Map.of("ACCORDION_URL", "mysql://not-used"), "status", "--url", UNREACHABLE);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(5);
    }

    @Test
    void optionsAfterTheCommandParseTheSameAsBefore() {
        String[] options = {"--url", "postgres://me:pw@db:6432/app", "--schema", "shop", "--state-schema", "migrations",
                "--lock-timeout", "250", "--lock-retry-deadline", "60", "--wait", "30", "--output", "json", "--stacktrace"};
        String[] before = concat(options, new String[] {"status"});
        String[] after = concat(new String[] {"status"}, options);
        String[] mixed = {"--schema", "shop", "--output", "json", "status", "--url", "postgres://me:pw@db:6432/app",
                "--state-schema", "migrations", "--lock-timeout", "250", "--stacktrace", "--wait", "30", "--lock-retry-deadline", "60"};

        DatabaseTarget expected = new DatabaseTarget("jdbc:postgresql://db:6432/app?user=me&password=pw", "shop", "migrations",
                Duration.ofMillis(250), Duration.ofSeconds(60), BackfillPolicy.DEFAULT, Duration.ofSeconds(30));
        for (String[] args : new String[][] {before, after, mixed}) {
            AccordionCommand root = parse(args);
            assertThat(root.target()).isEqualTo(expected);
            assertThat(root.options().output()).isEqualTo(OutputFormat.JSON);
            assertThat(root.options().stacktrace()).isTrue();
        }
    }

    @Test
    void globalOptionsHaveTheirDefaults() {
        AccordionCommand root = parse("status", "--url", UNREACHABLE);

        assertThat(root.target()).isEqualTo(new DatabaseTarget(UNREACHABLE, "public", "accordion", Duration.ofMillis(500),
                Duration.ofSeconds(300), new BackfillPolicy(Duration.ofMillis(200), OptionalInt.empty()), Duration.ofSeconds(10)));
        assertThat(root.options().output()).isEqualTo(OutputFormat.TEXT);
        assertThat(root.options().stacktrace()).isFalse();
    }

    @Test
    void optionsAfterTheCommandTakeEffect() {
        CliRun before = CliRun.run("--url", UNREACHABLE, "--schema", "shop", "init");
        CliRun after = CliRun.run("init", "--url", UNREACHABLE, "--schema", "shop");

        assertThat(after.exitCode()).isEqualTo(before.exitCode()).isEqualTo(5);
        assertThat(after.err()).isEqualTo(before.err());
    }

    @Test
    void connectionUrlNamesTheApplicationUnlessTheUserDid() {
        assertThat(parse("status", "--url", UNREACHABLE).target().connectionUrl())
                .isEqualTo(UNREACHABLE + "?ApplicationName=accordion");
        assertThat(parse("status", "--url", UNREACHABLE + "?ApplicationName=deploy").target().connectionUrl())
                .isEqualTo(UNREACHABLE + "?ApplicationName=deploy");
    }

    @Test
    void unparseableUrlIsAUsageError() {
        CliRun run = CliRun.run("status", "--url", "mysql://root@localhost/app");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: cannot use the database URL").contains("jdbc:postgresql://", "postgres://");
    }

    @Test
    void unreachableServerIsAConnectionErrorNamingHostAndPort() {
        CliRun run = CliRun.run("status", "--url", UNREACHABLE);

        assertThat(run.exitCode()).isEqualTo(5);
        assertThat(run.err()).startsWith("error: ").contains("127.0.0.1:1").doesNotContain("\tat ", "Exception");
        assertThat(run.err().lines().findFirst().orElseThrow()).doesNotContain("--url");
        assertThat(run.err()).contains("the connection settings name the right host",
                "\nhint: the database is the one --url names, else the environment variable ACCORDION_URL");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void stacktraceOptionPrintsTheStackTrace() {
        CliRun run = CliRun.run("status", "--url", UNREACHABLE, "--stacktrace");

        assertThat(run.exitCode()).isEqualTo(5);
        assertThat(run.err()).startsWith("error: ").contains("AccordionException", "\tat ");
    }

    @Test
    void badNumbersAreUsageErrors() {
        assertThat(CliRun.run("status", "--url", UNREACHABLE, "--lock-timeout", "soon").exitCode()).isEqualTo(2);
        assertThat(CliRun.run("status", "--url", UNREACHABLE, "--lock-timeout", "0").exitCode()).isEqualTo(2);
        assertThat(CliRun.run("status", "--url", UNREACHABLE, "--lock-retry-deadline", "-1").exitCode()).isEqualTo(2);
    }

    @Test
    void backfillOptionsSetTheTargetDurationOrAFixedBatchSizeBeforeOrAfterTheCommand() {
        assertThat(parse("--backfill-batch-ms", "750", "status", "--url", UNREACHABLE).target().backfill())
                .isEqualTo(new BackfillPolicy(Duration.ofMillis(750), OptionalInt.empty()));
        assertThat(parse("start", "x.yaml", "--url", UNREACHABLE, "--backfill-batch-size", "5000").target().backfill())
                .isEqualTo(new BackfillPolicy(Duration.ofMillis(200), OptionalInt.of(5000)));
        assertThat(parse("--backfill-batch-size", "250", "migrate", "dir", "--backfill-batch-ms", "50", "--url", UNREACHABLE)
                .target().backfill()).isEqualTo(new BackfillPolicy(Duration.ofMillis(50), OptionalInt.of(250)));
    }

    @Test
    void throttleOptionsBeforeOrAfterTheCommandMakeTheThrottles() {
        AccordionCommand root = parse("--max-replication-lag", "2.5s", "start", "x.yaml", "--url", UNREACHABLE,
                "--max-replication-lag-bytes", "1000000", "--replica-url", "postgres://me:pw@standby1:5432/app",
                "--replica-url", "jdbc:postgresql://standby2/app", "--probe-sql", "SELECT 1", "--max-probe-ms", "50",
                "--no-throttle-on-lock-waiters", "--progress-interval", "3", "--abort-after", "2m");

        assertThat(root.target().throttles()).isEqualTo(new ThrottleSettings(false, Optional.of(Duration.ofMillis(2_500)),
                OptionalLong.of(1_000_000), List.of("jdbc:postgresql://standby1:5432/app?user=me&password=pw",
                        "jdbc:postgresql://standby2/app"), Optional.of("SELECT 1"), Optional.of(Duration.ofMillis(50)),
                Optional.of(Duration.ofMinutes(2))));
        assertThat(root.backfillOptions().progressInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(ThrottleSettings.displayName("jdbc:postgresql://standby1:5432/app?user=me&password=pw"))
                .as("no credentials in messages").isEqualTo("standby1:5432/app");
    }

    @Test
    void withoutThrottleOptionsOnlyLockWaitersHoldABackfillBack() {
        AccordionCommand root = parse("status", "--url", UNREACHABLE);

        assertThat(root.target().throttles()).isEqualTo(ThrottleSettings.DEFAULT);
        assertThat(ThrottleSettings.DEFAULT.lockWaiters()).isTrue();
        assertThat(root.backfillOptions().progressInterval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void durationsTakeAUnit() {
        assertThat(Durations.parse("--x", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("--x", "5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Durations.parse("--x", "5")).as("seconds when bare").isEqualTo(Duration.ofSeconds(5));
        assertThat(Durations.parse("--x", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("--x", "1h")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void throttleOptionsThatNeedAnotherAreUsageErrorsSayingWhich() {
        String[][] cases = {
            {"--replica-url", "postgres://standby1/app"},
            {"--probe-sql", "SELECT 1"},
            {"--max-probe-ms", "100"},
            {"--max-replication-lag", "soon"},
            {"--max-replication-lag", "0s"},
            {"--progress-interval", "0"},
            {"--abort-after", "2m"},
            {"--abort-after", "0s", "--probe-sql", "SELECT 1", "--max-probe-ms", "100"},
        };
        String[] expected = {
            "--replica-url needs --max-replication-lag",
            "--probe-sql needs --max-probe-ms",
            "--max-probe-ms needs --probe-sql",
            "--max-replication-lag takes a duration such as 500ms, 5s, 1.5s, 2m or 1h, not \"soon\"",
            "--max-replication-lag must be more than zero",
            "--progress-interval must be a positive number of seconds",
            "--abort-after needs --probe-sql or --max-replication-lag",
            "--abort-after must be more than zero",
        };
        for (int i = 0; i < cases.length; i++) {
            CliRun run = CliRun.run(concat(new String[] {"status", "--url", UNREACHABLE}, cases[i]));

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
            assertThat(run.err()).as(run.toString()).contains(expected[i]);
        }
    }

    @Test
    void badBackfillOptionsAreUsageErrorsNamingTheOption() {
        for (String[] bad : new String[][] {{"--backfill-batch-ms", "0"}, {"--backfill-batch-ms", "-5"},
                {"--backfill-batch-size", "0"}, {"--backfill-batch-size", "-100"}, {"--backfill-batch-size", "lots"},
                {"--backfill-workers", "0"}, {"--backfill-workers", "17"}, {"--backfill-workers", "many"}}) {
            CliRun run = CliRun.run("status", "--url", UNREACHABLE, bad[0], bad[1]);

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
            assertThat(run.err()).as(run.toString()).contains(bad[0]).contains(bad[1]).doesNotContain("127.0.0.1");
        }
    }

    @Test
    void helpDescribesTheBackfillOptions() {
        CliRun run = CliRun.run("start", "--help");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().replaceAll("\\s+", " "))
                .contains("--backfill-batch-ms=<ms> How long one backfill batch should take, in milliseconds; "
                        + "batch sizes adapt toward it (default: 200).")
                .contains("--backfill-batch-size=<rows> Rows per backfill batch, fixed; overrides --backfill-batch-ms")
                .contains("--backfill-workers=<n> On how many connections each backfill batch runs: more than 1 cuts a "
                        + "batch into that many key ranges updated side by side");
    }

    @Test
    void unknownOutputFormatIsAUsageError() {
        CliRun run = CliRun.run("status", "--url", UNREACHABLE, "--output", "yaml");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--output", "yaml");
    }

    @Test
    void malformedMigrationFailsBeforeConnecting() throws Exception {
        Path file = Files.writeString(dir.resolve("02_rename.yaml"), MALFORMED_YAML);

        for (String command : new String[] {"validate", "start", "plan"}) {
            CliRun run = CliRun.run(command, file.toString(), "--url", UNREACHABLE);

            assertThat(run.exitCode()).as(command + ": " + run).isEqualTo(3);
            assertThat(run.err()).startsWith("error: migration \"02_rename\" is invalid")
                    .contains("unknown field \"form\"", "operations[0].rename_column.form").doesNotContain("127.0.0.1");
        }
    }

    @Test
    void aYamlSyntaxErrorIsABadInputFileNamingFileLineAndColumnForEveryCommand() throws Exception {
        Path file = Files.writeString(dir.resolve("02_broken.yaml"), "operations:\n  - drop_table: {name: users\n");
        String[][] commands = {{"start", file.toString()}, {"plan", file.toString()}, {"validate", file.toString()},
            {"migrate", dir.toString()}, {"status", dir.toString()}};
        for (String[] command : commands) {
            CliRun run = CliRun.run(concat(command, new String[] {"--url", UNREACHABLE}));

            assertThat(run.exitCode()).as(command[0] + ": " + run).isEqualTo(2);
            assertThat(run.err()).as(command[0]).contains("02_broken.yaml, line 2, column 29: this is not valid YAML",
                    "check the indentation", "Fix the file and run the command again").doesNotContain("127.0.0.1");
        }
    }

    @Test
    void malformedMigrationFailsEvenWithoutAUrl() throws Exception {
        Path file = Files.writeString(dir.resolve("02_rename.yaml"), MALFORMED_YAML);

        CliRun run = CliRun.run("validate", file.toString());

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("unknown field \"form\"");
    }

    @Test
    void everyProblemOfAnUnreadableFileIsListed() throws Exception {
        Path file = Files.writeString(dir.resolve("03_empty.yaml"), "operations: []\n");

        CliRun run = CliRun.run("validate", file.toString());

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("  - ", "at least one operation");
    }

    @Test
    void migrateReadsEveryFileBeforeConnecting() throws Exception {
        Files.writeString(dir.resolve("01_ok.yaml"), CREATE_USERS);
        Files.writeString(dir.resolve("02_rename.yaml"), MALFORMED_YAML);

        CliRun run = CliRun.run("migrate", dir.toString(), "--url", UNREACHABLE);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.err()).contains("02_rename").doesNotContain("127.0.0.1");
    }

    @Test
    void missingFileIsAUsageError() {
        CliRun run = CliRun.run("start", dir.resolve("nope.yaml").toString(), "--url", UNREACHABLE);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("nope.yaml", "does not exist");
    }

    @Test
    void missingDirectoryIsAUsageError() {
        CliRun run = CliRun.run("migrate", dir.resolve("nope").toString(), "--url", UNREACHABLE);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("nope", "not a directory");
    }

    @Test
    void everyDatabaseCommandReportsAnUnreachableServer() throws Exception {
        Path file = Files.writeString(dir.resolve("01_create.yaml"), CREATE_USERS);
        String[][] commands = {{"init"}, {"start", file.toString()}, {"complete"}, {"rollback"}, {"status"},
            {"migrate", dir.toString()}, {"plan", file.toString()}, {"validate", file.toString()}, {"latest", "schema"},
            {"latest", "url"}, {"baseline", "00_baseline"}, {"demo"}};
        for (String[] command : commands) {
            CliRun run = CliRun.run(concat(command, new String[] {"--url", UNREACHABLE}));

            assertThat(run.exitCode()).as(String.join(" ", command) + ": " + run).isEqualTo(5);
            assertThat(run.err()).contains("127.0.0.1:1");
        }
    }

    @Test
    void latestUrlQuotesSchemasThatNeedItAndCanLeaveThePasswordOut() {
        assertThat(LatestCommand.withoutPassword("jdbc:postgresql://db/app?user=me&password=pw&currentSchema=v2"))
                .isEqualTo("jdbc:postgresql://db/app?user=me&currentSchema=v2");
        assertThat(LatestCommand.withoutPassword("jdbc:postgresql://me:pw@db/app?password=pw"))
                .isEqualTo("jdbc:postgresql://me@db/app");
        assertThat(LatestCommand.withoutPassword("jdbc:postgresql://db/app?user=me")).isEqualTo("jdbc:postgresql://db/app?user=me");
    }

    @Test
    void withOutputJsonEveryCommandPrintsItsErrorAsJsonAndExitsWithItsCode() throws Exception {
        Path file = Files.writeString(dir.resolve("01_create.yaml"), CREATE_USERS);
        String[][] commands = {{"init"}, {"start", file.toString()}, {"complete"}, {"rollback"}, {"status"},
            {"migrate", dir.toString()}, {"plan", file.toString()}, {"validate", file.toString()}, {"latest", "schema"},
            {"latest", "url"}, {"baseline", "00_baseline"}, {"backfill", "pause"}, {"backfill", "resume"}};
        for (String[] command : commands) {
            CliRun run = CliRun.run(concat(command, new String[] {"--url", UNREACHABLE, "--output", "json"}));

            assertThat(run.exitCode()).as(String.join(" ", command) + ": " + run).isEqualTo(5);
            JsonNode document = JSON.readTree(run.out());
            assertThat(fieldsOf(document)).containsExactly("error");
            JsonNode error = document.get("error");
            assertThat(fieldsOf(error)).containsExactly("code", "exit_code", "message", "hint", "problems");
            assertThat(error.get("code").asText()).isEqualTo("CONNECTION");
            assertThat(error.get("exit_code").asInt()).isEqualTo(5);
            assertThat(error.get("message").asText()).startsWith("cannot connect to the database: ").contains("127.0.0.1:1");
            assertThat(error.get("hint").asText()).contains("--url", "ACCORDION_URL");
            assertThat(error.get("problems")).isEmpty();
            assertThat(run.err()).as("people still read it on stderr").startsWith("error: cannot connect");
        }
    }

    @Test
    void withOutputJsonUsageErrorsAndInvalidFilesAreJsonToo() throws Exception {
        Path invalid = Files.writeString(dir.resolve("02_rename.yaml"), MALFORMED_YAML);
        Path broken = Files.writeString(dir.resolve("03_broken.json"), "{\"operations\": [\n");
        String[][] commands = {{}, {"backfill"}, {"latest"}, {"status", "--frobnicate"}, {"status", "--lock-timeout", "0"},
            {"validate", invalid.toString()}, {"validate", broken.toString()}};
        String[] codes = {"USAGE", "USAGE", "USAGE", "USAGE", "USAGE", "INVALID_MIGRATION", "USAGE"};
        String[] messages = {"give a command", "give a subcommand: pause or resume", "Missing required subcommand",
            "Unknown option: '--frobnicate'", "--lock-timeout must be a positive number", "migration \"02_rename\" is invalid",
            "migration \"03_broken\" is invalid"};
        for (int i = 0; i < commands.length; i++) {
            CliRun run = CliRun.run(concat(new String[] {"--output", "json", "--url", UNREACHABLE}, commands[i]));
            JsonNode error = JSON.readTree(run.out()).get("error");

            assertThat(error).as(run.toString()).isNotNull();
            assertThat(error.get("code").asText()).as(run.toString()).isEqualTo(codes[i]);
            assertThat(run.exitCode()).isEqualTo(error.get("exit_code").asInt()).isEqualTo(codes[i].equals("USAGE") ? 2 : 3);
            assertThat(error.get("message").asText()).as(run.toString()).contains(messages[i]);
        }
        JsonNode problems = JSON.readTree(CliRun.run("validate", invalid.toString(), "--output", "json").out()).get("error").get("problems");
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).asText()).contains("unknown field \"form\"", "operations[0].rename_column.form");
    }

    @Test
    void commandsForPeopleRefuseOutputJsonAsAUsageError() {
        for (String command : new String[] {"demo", "bench"}) {
            CliRun run = CliRun.run(command, "--output", "json", "--url", UNREACHABLE);

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
            assertThat(run.err()).contains("\"accordion " + command + "\" has no --output json", "run it without --output json")
                    .doesNotContain("127.0.0.1");
            assertThat(run.out()).contains("\"code\" : \"USAGE\"", "has no --output json");
        }
        assertThat(CliRun.run("demo", "--help", "--output", "json").exitCode()).as("help still works").isZero();
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> fieldsOf(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static AccordionCommand parse(String... args) {
        StringWriter sink = new StringWriter();
        CommandLine commandLine = Main.commandLine(Map.of(), new PrintWriter(sink), new PrintWriter(sink));
        commandLine.parseArgs(args);
        return commandLine.getCommand();
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = new String[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
