package dev.accordion.cli;

import dev.accordion.PhaseResult;
import picocli.CommandLine.Command;

@Command(name = "rollback", description = "Undo the active migration (before it is completed): remove the new version schema "
        + "and everything start added. Clients of the old version never notice.")
final class RollbackCommand extends Subcommand {

    @Override
    public Integer call() {
        PhaseResult rolledBack = connect().rollback();
        result(PhaseResultLine.of(rolledBack), PhaseDocument.of(rolledBack));
        return ExitCodes.SUCCESS;
    }
}
