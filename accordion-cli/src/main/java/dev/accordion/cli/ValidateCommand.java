package dev.accordion.cli;

import dev.accordion.ValidationReport;
import dev.accordion.migration.InvalidMigrationException;
import dev.accordion.migration.Migration;
import dev.accordion.migration.MigrationReader;
import java.nio.file.Path;
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
        ValidationReport report = connect().validate(migration);
        if (!report.isValid()) {
            // the same error, message and exit code as a file that cannot be parsed at all
            throw new InvalidMigrationException(report.migration(), report.problems());
        }
        String schema = root().target().schema();
        result("valid: migration " + report.migration() + " fits schema \"" + schema + "\"",
                new ValidDocument(report.migration(), schema, true));
        return ExitCodes.SUCCESS;
    }

    /** {@code --output json} of a valid migration; an invalid one is an error document listing its problems. */
    record ValidDocument(String migration, String schema, boolean valid) {
    }
}
