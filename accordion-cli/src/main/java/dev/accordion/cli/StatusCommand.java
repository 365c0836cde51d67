package dev.accordion.cli;

import picocli.CommandLine.Command;

@Command(name = "status", description = "Show the latest version schema, the active migration, what to do next, and the history.")
final class StatusCommand extends Subcommand {

    @Override
    public Integer call() {
        StatusDocument status = StatusDocument.of(connect().status());
        switch (options().output()) {
            case TEXT -> out().print(StatusText.render(status));
            case JSON -> JsonOutput.print(out(), status);
        }
        return ExitCodes.SUCCESS;
    }
}
