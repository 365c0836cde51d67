package dev.accordion.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "baseline", description = "Adopt a schema that already has tables: record it as the first version and "
        + "create that version's schema, so that existing clients have a version to stay on while migrations run.")
final class BaselineCommand extends Subcommand {

    @Parameters(paramLabel = "<name>", description = "The name of the first version, for example 00_baseline.")
    private String name;

    @Override
    public Integer call() {
        out().println(PhaseResultLine.ofBaseline(connect().baseline(name)));
        return ExitCodes.SUCCESS;
    }
}
