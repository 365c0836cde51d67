package dev.accordion.cli;

import dev.accordion.Accordion;
import dev.accordion.FilesReport;
import dev.accordion.PhaseResult;
import dev.accordion.Status;
import dev.accordion.spi.MigrationStatus;
import dev.accordion.migration.Migration;
import dev.accordion.migration.MigrationReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "migrate", description = {
    "Apply a directory's pending migrations in file-name order: each but the last is started and completed; "
            + "the last is started, and completed too with --complete. With --release, the pending files are started as one "
            + "release instead (one old and one new version live)."})
final class MigrateCommand extends Subcommand {

    @Parameters(paramLabel = "<dir>", description = "The directory of migration files (.yaml, .yml, .json).")
    private Path directory;

    @Option(names = "--complete", description = "Complete the last migration too.")
    private boolean completeLast;

    @Option(names = "--release", description = "Start all pending files as one release with one version schema (named "
            + "after the last file), instead of starting and completing each but the last; complete and rollback then act "
            + "on the whole release.")
    private boolean asOneRelease;

    @Option(names = "--ignore-drift", description = "Go on even when applied files were edited since they were applied "
            + "(by default migrate refuses, naming each change; the applied migrations stay as they were applied).")
    private boolean ignoreDrift;

    @Override
    public Integer call() {
        // read every file before connecting: one broken file stops the run before anything changes
        List<Migration> migrations = MigrationReader.readDirectory(directory);
        if (migrations.isEmpty()) {
            err().println("warning: " + directory + " holds no migration files (.yaml, .yml, .json)");
        }
        Accordion accordion = connect();
        FilesReport files = accordion.checkFiles(migrations);
        if (ignoreDrift && !files.drifted().isEmpty()) {
            files.drifted().forEach(drift -> err().println("warning: " + drift.migration() + " was edited after it was applied "
                    + "(drift); going on as asked, the applied migration stays as it was applied"));
        }
        List<PhaseResult> results = accordion.migrate(migrations, completeLast, ignoreDrift, asOneRelease);
        String nothingToDo = results.isEmpty() ? nothingToDo(accordion.status()) : null;
        List<String> lines = new ArrayList<>(results.stream().map(PhaseResultLine::of).toList());
        if (nothingToDo != null) {
            lines.add(nothingToDo);
        }
        result(String.join("\n", lines), new MigrateDocument(results.stream().map(PhaseDocument::of).toList(), nothingToDo));
        return ExitCodes.SUCCESS;
    }

    /** {@code --output json}: every phase run, in order; when none ran, what migrate found instead. */
    record MigrateDocument(List<PhaseDocument> phases, String nothingToDo) {
    }

    /** A repeated deploy step is not an error: say what migrate found instead. */
    private String nothingToDo(Status status) {
        return status.active().filter(active -> active.status() == MigrationStatus.ACTIVE)
                .map(active -> "nothing to migrate: " + active.name() + ", the last migration in " + directory
                        + ", is started and active; next: " + status.nextStep())
                .orElse("nothing to migrate: every migration in " + directory + " is already applied"
                        + status.latestVersionSchema().map(schema -> "; clients use version schema " + schema).orElse(""));
    }
}
