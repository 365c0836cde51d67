package dev.accordion.cli;

import picocli.CommandLine.Command;

@Command(name = "init", description = "Create the state schema where Accordion keeps its history. Safe to run again.")
final class InitCommand extends Subcommand {

    @Override
    public Integer call() {
        DatabaseTarget target = root().target();
        target.load(root().progressPrinter(err())).init();
        result("initialized: Accordion keeps its history in schema \"" + target.stateSchema() + "\"",
                new InitDocument(target.stateSchema()));
        return ExitCodes.SUCCESS;
    }

    /** {@code --output json}: where the history is kept. */
    record InitDocument(String stateSchema) {
    }
}
