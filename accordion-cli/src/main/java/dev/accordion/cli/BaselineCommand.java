package dev.accordion.cli;

import dev.accordion.PhaseResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "baseline", description = "Adopt a schema that already has tables: record it as the first version and "
        + "create that version's schema, so that existing clients have a version to stay on while migrations run.")
final class BaselineCommand extends Subcommand {

    @Parameters(paramLabel = "<name>", description = "The name of the first version, for example 00_baseline.")
    private String name;

    @Override
    public Integer call() {
        PhaseResult baselined = connect().baseline(name);
        result(PhaseResultLine.ofBaseline(baselined), PhaseDocument.ofBaseline(baselined));
        return ExitCodes.SUCCESS;
    }
}
