package dev.accordion.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code accordion} command: holds the global options and the environment they fall back to. */
@Command(name = "accordion",
        versionProvider = VersionProvider.class,
        description = "Zero-downtime PostgreSQL schema migrations: while a migration is active, clients of the old "
                + "and the new version of the schema both work, each through its own version schema.",
        synopsisSubcommandLabel = "<command>",
        sortOptions = false,
        commandListHeading = "%nCommands:%n",
        optionListHeading = "%nOptions (before or after the command):%n",
        subcommands = {
            InitCommand.class,
            StartCommand.class,
            CompleteCommand.class,
            RollbackCommand.class,
            StatusCommand.class,
            ClientsCommand.class,
            MigrateCommand.class,
            PlanCommand.class,
            ValidateCommand.class,
            LatestCommand.class,
            BaselineCommand.class,
            BackfillCommand.class,
            DemoCommand.class,
            BenchCommand.class,
            HelpTopicCommand.class,
        })
final class AccordionCommand implements Callable<Integer> {

    @Mixin
    private GlobalOptions options = new GlobalOptions();

    @Mixin
    private BackfillOptions backfillOptions = new BackfillOptions();

    @Spec
    private CommandSpec spec;

    private final Map<String, String> env;
    private final BooleanSupplier terminal;

    AccordionCommand(Map<String, String> env) {
        this(env, () -> System.console() != null);
    }

    /** {@code terminal} says whether progress goes to a terminal, where a progress bar may be redrawn in place. */
    AccordionCommand(Map<String, String> env, BooleanSupplier terminal) {
        this.env = Map.copyOf(env);
        this.terminal = terminal;
    }

    /** Progress of phases on stderr: a bar that fits the terminal's width on one, lines every --progress-interval otherwise. */
    ProgressPrinter progressPrinter(PrintWriter err) {
        OptionalInt columns = terminal.getAsBoolean() ? OptionalInt.of(TerminalWidth.detect(env)) : OptionalInt.empty();
        return new ProgressPrinter(err, columns, backfillOptions.progressInterval());
    }

    GlobalOptions options() {
        return options;
    }

    BackfillOptions backfillOptions() {
        return backfillOptions;
    }

    /** The database from {@code --url}, or from the environment, with the backfill throttles of the options. */
    DatabaseTarget target() {
        return options.target(env).withThrottles(backfillOptions.throttles());
    }

    /** {@code accordion} alone is a usage error: there is nothing sensible to do by default. */
    @Override
    public Integer call() {
        return ErrorReporter.missingCommand(spec.commandLine(), "give a command");
    }
}
