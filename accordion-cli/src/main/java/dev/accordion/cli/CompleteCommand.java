package dev.accordion.cli;

import picocli.CommandLine.Command;

@Command(name = "complete", description = "Complete the active migration: remove the old version schema and the old structure. "
        + "Run it once no client uses the old version.")
final class CompleteCommand extends Subcommand {

    @Override
    public Integer call() {
        out().println(PhaseResultLine.of(connect().complete()));
        return ExitCodes.SUCCESS;
    }
}
