package dev.accordion.cli;

import dev.accordion.PhaseResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "complete", description = "Complete the active migration: remove the old version schema and the old structure. "
        + "Run it once no client uses the old version. It first checks that every row agrees between the two versions, and "
        + "changes nothing if one does not.")
final class CompleteCommand extends Subcommand {

    @Option(names = "--force", description = "Complete without checking that every row agrees between the two versions; rows "
            + "written around the sync trigger keep only their new version's values.")
    boolean force;

    @Override
    public Integer call() {
        PhaseResult completed = connect().complete(force);
        result(PhaseResultLine.of(completed), PhaseDocument.of(completed));
        return ExitCodes.SUCCESS;
    }
}
