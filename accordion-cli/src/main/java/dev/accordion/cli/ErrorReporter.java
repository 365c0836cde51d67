package dev.accordion.cli;

import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns failures into {@code error: …} on stderr and the documented exit code, and with {@code --output json} also into
 * an {@link ErrorDocument} on stdout. Accordion's messages already say what to do next, so a stack trace would only
 * bury them: it is printed on request only.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("error: " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Run \"" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help\" for usage.");
        if (json(e.getCommandLine())) {
            JsonOutput.print(e.getCommandLine().getOut(), ErrorDocument.of(ErrorCode.USAGE, e.getMessage()));
        }
        return ErrorCode.USAGE.exitCode();
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
        PrintWriter err = command.getErr();
        boolean stacktrace = root(command).options().stacktrace();
        ErrorDocument document;
        if (e instanceof AccordionException failure) {
            err.println("error: " + failure.getMessage());
            failure.hint().map(CliHints::of).ifPresent(hint -> err.println("hint: " + hint));
            document = ErrorDocument.of(failure);
        } else {
            err.println("error: unexpected failure: " + e);
            if (!stacktrace) {
                err.println("This is a bug in Accordion. Run the command again with --stacktrace and report what it prints.");
            }
            document = ErrorDocument.of(ErrorCode.INTERNAL, "unexpected failure: " + e);
        }
        if (stacktrace) {
            e.printStackTrace(err);
        }
        if (json(command)) {
            JsonOutput.print(command.getOut(), document);
        }
        return document.error().exitCode();
    }

    /**
     * A command without a subcommand where one is needed ({@code accordion}, {@code accordion backfill}): the error, then
     * the command's usage (or, with {@code --output json}, the error as JSON).
     */
    static int missingCommand(CommandLine command, String message) {
        command.getErr().println("error: " + message);
        if (json(command)) {
            JsonOutput.print(command.getOut(), ErrorDocument.of(ErrorCode.USAGE, message));
        } else {
            command.usage(command.getErr());
        }
        return ErrorCode.USAGE.exitCode();
    }

    private static boolean json(CommandLine command) {
        return root(command).options().output() == OutputFormat.JSON;
    }

    private static AccordionCommand root(CommandLine command) {
        return (AccordionCommand) command.getCommandSpec().root().userObject();
    }
}
