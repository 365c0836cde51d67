package dev.accordion.cli;

import dev.accordion.Accordion;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command needs: the global options, where results and progress go, and a connected facade. */
abstract class Subcommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    protected final AccordionCommand root() {
        return (AccordionCommand) spec.root().userObject();
    }

    protected final GlobalOptions options() {
        return root().options();
    }

    /** Results: what scripts read. */
    protected final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Prints the result: {@code text} for people, or with {@code --output json} the {@code document} for scripts. */
    protected final void result(String text, Object document) {
        switch (options().output()) {
            case TEXT -> out().println(text);
            case JSON -> JsonOutput.print(out(), document);
        }
    }

    /** Progress and errors: what people watch. */
    protected final PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Connects to the target database; progress of phases goes to stderr. */
    protected final Accordion connect() {
        return root().target().load(root().progressPrinter(err()));
    }
}
