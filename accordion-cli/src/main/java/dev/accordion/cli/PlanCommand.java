package dev.accordion.cli;

import dev.accordion.Accordion;
import dev.accordion.migration.Migration;
import dev.accordion.migration.MigrationReader;
import dev.accordion.plan.Plan;
import dev.accordion.plan.PlanText;
import dev.accordion.spi.IndexUse;
import java.nio.file.Path;
import java.util.List;
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
        Accordion accordion = connect();
        Plan plan = accordion.plan(migration);
        List<IndexUse> dropped = accordion.droppedIndexUse(migration);
        switch (options().output()) {
            case TEXT -> {
                out().print(PlanText.render(plan));
                if (!dropped.isEmpty()) {
                    out().println();
                    out().println(DroppedIndexDocument.lines(dropped));
                }
            }
            case JSON -> JsonOutput.print(out(), PlanDocument.of(plan, dropped));
        }
        return ExitCodes.SUCCESS;
    }
}
