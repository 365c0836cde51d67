package dev.accordion.cli;

import dev.accordion.migration.Migration;
import dev.accordion.migration.MigrationReader;
import dev.accordion.plan.Plan;
import dev.accordion.plan.PlanText;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "plan", description = "Print every step of every phase of a migration: its SQL, whether it runs in a "
        + "transaction, and the locks it takes. Changes nothing.")
final class PlanCommand extends Subcommand {

    @Parameters(paramLabel = "<file>", description = "The migration file (YAML or JSON).")
    private Path file;

    @Override
    public Integer call() {
        Migration migration = MigrationReader.read(file);
        Plan plan = connect().plan(migration);
        switch (options().output()) {
            case TEXT -> out().print(PlanText.render(plan));
            case JSON -> JsonOutput.print(out(), PlanDocument.of(plan));
        }
        return ExitCodes.SUCCESS;
    }
}
