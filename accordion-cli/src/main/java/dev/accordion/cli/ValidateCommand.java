package dev.accordion.cli;

import dev.accordion.Accordion;
import dev.accordion.ValidationReport;
import dev.accordion.migration.InvalidMigrationException;
import dev.accordion.migration.Migration;
import dev.accordion.migration.MigrationReader;
import dev.accordion.spi.IndexUse;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "validate", description = "Check a migration against the schema it would start from and list every problem. "
        + "Changes nothing.")
final class ValidateCommand extends Subcommand {

    @Parameters(paramLabel = "<file>", description = "The migration file (YAML or JSON).")
    private Path file;

    @Override
    public Integer call() {
        Migration migration = MigrationReader.read(file);
        Accordion accordion = connect();
        ValidationReport report = accordion.validate(migration);
        if (!report.isValid()) {
            // the same error, message and exit code as a file that cannot be parsed at all
            throw new InvalidMigrationException(report.migration(), report.problems());
        }
        String schema = root().target().schema();
        List<IndexUse> dropped = accordion.droppedIndexUse(migration);
        result("valid: migration " + report.migration() + " fits schema \"" + schema + "\""
                        + (dropped.isEmpty() ? "" : "\n" + DroppedIndexDocument.lines(dropped)),
                new ValidDocument(report.migration(), schema, true, dropped.stream().map(DroppedIndexDocument::of).toList()));
        return ExitCodes.SUCCESS;
    }

    /** {@code --output json} of a valid migration; an invalid one is an error document listing its problems. */
    record ValidDocument(String migration, String schema, boolean valid, List<DroppedIndexDocument> droppedIndexes) {
    }
}
