package dev.accordion.cli;

import dev.accordion.Accordion;
import dev.accordion.migration.MigrationReader;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "status", description = "Show the latest version schema, the active migration, what to do next, and the "
        + "history; given a directory of migration files, also which are pending and which applied ones were edited since (drift).")
final class StatusCommand extends Subcommand {

    @Parameters(paramLabel = "<dir>", arity = "0..1", description = "A directory of migration files to compare with the history.")
    private Path directory;

    @Override
    public Integer call() {
        // read every file before connecting, as migrate does: a broken file is reported before anything else
        var files = Optional.ofNullable(directory).map(MigrationReader::readDirectory);
        Accordion accordion = connect();
        StatusDocument status = StatusDocument.of(accordion.status(),
                files.map(migrations -> StatusDocument.FilesDocument.of(directory.toString(), accordion.checkFiles(migrations))));
        switch (options().output()) {
            case TEXT -> out().print(StatusText.render(status));
            case JSON -> JsonOutput.print(out(), status);
        }
        return ExitCodes.SUCCESS;
    }
}
