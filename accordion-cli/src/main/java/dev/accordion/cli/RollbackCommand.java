package dev.accordion.cli;

import picocli.CommandLine.Command;

@Command(name = "rollback", description = "Undo the active migration (before it is completed): remove the new version schema "
        + "and everything start added. Clients of the old version never notice.")
final class RollbackCommand extends Subcommand {

    @Override
    public Integer call() {
        out().println(PhaseResultLine.of(connect().rollback()));
        return ExitCodes.SUCCESS;
    }
}
