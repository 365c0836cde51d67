package dev.accordion.cli;

import dev.accordion.CompleteOptions;
import dev.accordion.PhaseResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "complete", description = "Complete the active migration: remove the old version schema and the old structure. "
        + "First it watches the old version schema for sessions that still use it (--client-watch) and refuses (exit 10) "
        + "while one does; then it checks that every row agrees between the two versions, and changes nothing if one does not.")
final class CompleteCommand extends Subcommand {

    @Option(names = "--wait-for-clients", paramLabel = "<duration>", defaultValue = "0",
            description = "While the old version schema has clients, watch again until a whole watch sees none, for up to "
                    + "this long (e.g. 10m), before refusing (default: refuse at once).")
    String waitForClients;

    @Option(names = "--force", description = "Complete without its checks: clients still using the old version schema fail "
            + "once it is gone, and rows written around the sync trigger keep only their new version's values.")
    boolean force;

    @Override
    public Integer call() {
        CompleteOptions options = force ? CompleteOptions.FORCE
                : CompleteOptions.SAFE.waitingForClients(Durations.zeroOrMore("--wait-for-clients", waitForClients));
        PhaseResult completed = connect().complete(options);
        result(PhaseResultLine.of(completed), PhaseDocument.of(completed));
        return ExitCodes.SUCCESS;
    }
}
