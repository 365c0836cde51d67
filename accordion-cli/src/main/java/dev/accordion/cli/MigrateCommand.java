package dev.accordion.cli;

import dev.accordion.PhaseResult;
import dev.accordion.migration.Migration;
import dev.accordion.migration.MigrationReader;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "migrate", description = {
    "Apply a directory's pending migrations in file-name order: each but the last is started and completed; "
            + "the last is started, and completed too with --complete."})
final class MigrateCommand extends Subcommand {

    @Parameters(paramLabel = "<dir>", description = "The directory of migration files (.yaml, .yml, .json).")
    private Path directory;

    @Option(names = "--complete", description = "Complete the last migration too.")
    private boolean completeLast;

    @Override
    public Integer call() {
        // read every file before connecting: one broken file stops the run before anything changes
        List<Migration> migrations = MigrationReader.readDirectory(directory);
        if (migrations.isEmpty()) {
            err().println("warning: " + directory + " holds no migration files (.yaml, .yml, .json)");
        }
        List<PhaseResult> results = connect().migrate(migrations, completeLast);
        if (results.isEmpty()) {
            out().println("nothing to migrate: every migration in " + directory + " is already applied");
        }
        results.forEach(result -> out().println(PhaseResultLine.of(result)));
        return ExitCodes.SUCCESS;
    }
}
