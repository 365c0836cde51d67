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
 * Turns failures into {@code error: …} on stderr and the documented exit code. Accordion's messages
 * already say what to do next, so a stack trace would only bury them: it is printed on request only.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("error: " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Run \"" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help\" for usage.");
        return ErrorCode.USAGE.exitCode();
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
        PrintWriter err = command.getErr();
        boolean stacktrace = ((AccordionCommand) command.getCommandSpec().root().userObject()).options().stacktrace();
        int exitCode;
        if (e instanceof AccordionException failure) {
            err.println("error: " + failure.getMessage());
            failure.hint().map(CliHints::of).ifPresent(hint -> err.println("hint: " + hint));
            exitCode = failure.code().exitCode();
        } else {
            err.println("error: unexpected failure: " + e);
            if (!stacktrace) {
                err.println("This is a bug in Accordion. Run the command again with --stacktrace and report what it prints.");
            }
            exitCode = ErrorCode.INTERNAL.exitCode();
        }
        if (stacktrace) {
            e.printStackTrace(err);
        }
        return exitCode;
    }
}
