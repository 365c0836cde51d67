package dev.accordion.cli;

import dev.accordion.Accordion;
import dev.accordion.PhaseResult;
import dev.accordion.migration.Migration;
import dev.accordion.migration.MigrationReader;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "start", description = {
    "Start a migration: expand the schema and create the new version schema, so that clients of the old and the "
            + "new version both work. Run it again after a crash to continue where it stopped."})
final class StartCommand extends Subcommand {

    @Parameters(paramLabel = "<file>", description = "The migration file (YAML or JSON); its name is the migration's name.")
    private Path file;

    @Option(names = "--complete", description = "Complete the migration right after starting it (when no client needs the old version).")
    private boolean complete;

    @Option(names = "--resume-recorded", description = "When an interrupted start of this migration recorded a copy "
            + "that differs from the file, go on with the recorded copy (by default the file replaces a copy whose start "
            + "changed nothing, and start refuses once it has).")
    private boolean resumeRecorded;

    @Override
    public Integer call() {
        // read before connecting: a broken file fails at once, with or without a database
        Migration migration = MigrationReader.read(file);
        PhaseResult started = connect().start(migration, complete,
                resumeRecorded ? Accordion.EditedFile.RESUME_RECORDED : Accordion.EditedFile.TAKE_IF_NOTHING_CHANGED);
        result(PhaseResultLine.of(started), PhaseDocument.of(started));
        return ExitCodes.SUCCESS;
    }
}
