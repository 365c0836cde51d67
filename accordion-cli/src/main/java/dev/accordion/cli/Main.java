package dev.accordion.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** The {@code accordion} command line. {@link #run} is the whole program, for tests in the same JVM. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    public static int run(PrintStream out, PrintStream err, String... args) {
        return run(out, err, System.getenv(), args);
    }

    /** Runs one command; {@code env} stands in for the process environment (tests pass their own). */
    public static int run(PrintStream out, PrintStream err, Map<String, String> env, String... args) {
        PrintWriter outWriter = writer(out);
        PrintWriter errWriter = writer(err);
        try {
            return commandLine(env, outWriter, errWriter).execute(args);
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    static CommandLine commandLine(Map<String, String> env, PrintWriter out, PrintWriter err) {
        ErrorReporter errors = new ErrorReporter();
        CommandLine commandLine = new CommandLine(new AccordionCommand(env))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionStrategy(Main::execute)
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors);
        BenchCommand.describeUrl(commandLine.getSubcommands().get("bench"));
        HelpSections.ownOptionsFirst(commandLine);
        commandLine.getCommandSpec().usageMessage()
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(ExitCodes.described());
        // after the subcommands exist, so that all of them write to these streams
        commandLine.setOut(out).setErr(err);
        return commandLine;
    }

    /** Runs the command given, as picocli does, once a command whose output is for people has refused JSON. */
    private static int execute(ParseResult parsed) {
        ParseResult last = parsed;
        boolean help = parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested();
        while (last.hasSubcommand()) {
            last = last.subcommand();
            help |= last.isUsageHelpRequested() || last.isVersionHelpRequested();
        }
        AccordionCommand root = (AccordionCommand) parsed.commandSpec().userObject();
        if (!help && root.options().output() == OutputFormat.JSON && last.commandSpec().userObject() instanceof TextOnly textOnly) {
            throw new ParameterException(last.commandSpec().commandLine(), "\"" + last.commandSpec().qualifiedName()
                    + "\" has no --output json: " + textOnly.whyTextOnly() + "; run it without --output json");
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }
}
